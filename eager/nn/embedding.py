"""`Embedding`: a lookup table of ``num_embeddings`` vectors, indexed by integer tensors."""

from __future__ import annotations

from typing import Any

from . import functional as F
from . import init
from ._factory import empty_parameter, param_dtype
from .module import Module
from .option_checks import refuse_unsupported


class Embedding(Module):
    """``Embedding(num_embeddings, embedding_dim)``; ``weight`` starts as N(0, 1) samples.

        >>> Embedding(100, 8)
        Embedding(100, 8)
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        refuse_unsupported("Embedding", padding_idx=(padding_idx, None), max_norm=(max_norm, None))
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.weight = empty_parameter((num_embeddings, embedding_dim), param_dtype(dtype, device))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.normal_(self.weight)

    def forward(self, input: Any) -> Any:
        return F.embedding(input, self.weight)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
