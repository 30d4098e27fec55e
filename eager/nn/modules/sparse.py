"""``eager.nn.modules.sparse``: PyTorch's module path of embeddings
(``from torch.nn.modules.sparse import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..embedding import Embedding
from ..embedding_bag import EmbeddingBag

__all__ = ['Embedding', 'EmbeddingBag']
