"""``eager.nn.modules.normalization``: PyTorch's module path of normalization layers
(``from torch.nn.modules.normalization import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..group_norm import GroupNorm
from ..margin_lrn import LocalResponseNorm
from ..normalization import LayerNorm
from ..rms_norm import RMSNorm

__all__ = ['GroupNorm', 'LocalResponseNorm', 'LayerNorm', 'RMSNorm']
