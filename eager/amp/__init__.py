"""``eager.amp``: automatic mixed precision as a CPU build of PyTorch offers it to programs
written for GPUs: `GradScaler` (loss scaling: a real one on the CPU, and on 'cuda' disabled
with PyTorch's warning) and `autocast` (disabled for 'cuda', as PyTorch without CUDA does).
Eager computes every op in its inputs' dtypes, so autocasting the CPU to a lower precision
is refused with a clear error rather than silently ignored.
"""

from .autocast_mode import autocast, is_autocast_available
from .autocast_state import get_autocast_dtype, is_autocast_enabled, set_autocast_dtype
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "get_autocast_dtype", "is_autocast_available",
           "is_autocast_enabled", "set_autocast_dtype"]
