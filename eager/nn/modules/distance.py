"""``eager.nn.modules.distance``: PyTorch's module path of distances
(``from torch.nn.modules.distance import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..distance import CosineSimilarity, PairwiseDistance

__all__ = ['CosineSimilarity', 'PairwiseDistance']
