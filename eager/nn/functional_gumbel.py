"""``F.gumbel_softmax``: samples from the Gumbel-softmax (concrete) distribution, soft or
straight-through one-hot, drawing PyTorch's Gumbel noise (``-log`` of an exponential draw) so a
seeded program samples PyTorch's numbers."""

from __future__ import annotations

import warnings
from typing import Any

from .. import creation
from ..tensor_base import TensorBase


def gumbel_softmax(logits: Any, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Any:
    """``softmax((logits + g) / tau)`` with Gumbel noise g; with ``hard`` the one-hot of its
    argmax in the forward pass and the soft sample's gradient in the backward pass."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    if not isinstance(logits, TensorBase):
        raise TypeError(f"gumbel_softmax(): argument 'logits' must be Tensor, not "
                        f"{type(logits).__name__}")
    gumbels = -creation.empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = creation.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


__all__ = ["gumbel_softmax"]
