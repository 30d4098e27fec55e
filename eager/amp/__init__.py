"""``eager.amp``: automatic mixed precision as a CPU build of PyTorch offers it to programs
written for GPUs: `GradScaler` (loss scaling: a real one on the CPU, and on 'cuda' disabled
with PyTorch's warning) and `autocast` (disabled for 'cuda', as PyTorch without CUDA does).
Eager computes every op in its inputs' dtypes, so autocasting the CPU to a lower precision
is refused with a clear error rather than silently ignored.
"""

from .autocast_mode import autocast, is_autocast_available
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "is_autocast_available"]
