"""``eager.nn.modules.fold``: PyTorch's module path of Fold and Unfold
(``from torch.nn.modules.fold import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..fold import Fold, Unfold

__all__ = ['Fold', 'Unfold']
