"""``eager.nn.modules.flatten``: PyTorch's module path of Flatten and Unflatten
(``from torch.nn.modules.flatten import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..linear import Flatten, Unflatten

__all__ = ['Flatten', 'Unflatten']
