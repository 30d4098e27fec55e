"""``eager.amp``: automatic mixed precision as a CPU build of PyTorch offers it to programs
written for GPUs: `GradScaler` (loss scaling: a real one on the CPU, and on 'cuda' disabled
with PyTorch's warning) and `autocast` (disabled for 'cuda', as PyTorch without CUDA does).
CPU autocast to bfloat16 is emulated on float32 values rounded to bfloat16
(`autocast_dispatch`); to float16 it is refused with a clear error rather than ignored.
"""

from .autocast_mode import autocast, is_autocast_available
from .autocast_state import get_autocast_dtype, is_autocast_enabled, set_autocast_dtype
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "get_autocast_dtype", "is_autocast_available",
           "is_autocast_enabled", "set_autocast_dtype"]
