"""``eager.nn.modules.linear``: PyTorch's module path of linear layers
(``from torch.nn.modules.linear import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..bilinear import Bilinear
from ..lazy import LazyLinear
from ..linear import Identity, Linear, NonDynamicallyQuantizableLinear

__all__ = ['Bilinear', 'LazyLinear', 'Identity', 'Linear', 'NonDynamicallyQuantizableLinear']
