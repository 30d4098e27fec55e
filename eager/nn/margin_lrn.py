"""`MultiMarginLoss`, `MultiLabelMarginLoss` and `LocalResponseNorm`: the layers over
`functional_margin_lrn`, printed as PyTorch prints them.

    >>> LocalResponseNorm(3)
    LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1.0)
"""

from __future__ import annotations

from typing import Any

from .functional_margin_lrn import local_response_norm, multi_margin_loss, multilabel_margin_loss
from .loss import ReducingLoss
from .module import Module


class MultiMarginLoss(ReducingLoss):
    """``MultiMarginLoss(p=1, margin=1.0, weight=None, size_average=None, reduce=None,
    reduction='mean')``; ``weight`` (per class) is a buffer."""

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Any = None,
                 size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and getattr(weight, "ndim", 1) != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got "
                             f"{weight.ndim}D instead")
        self.p, self.margin = p, margin
        self._set_weight("weight", weight)

    def forward(self, input: Any, target: Any) -> Any:
        return multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                 reduction=self.reduction)


class MultiLabelMarginLoss(ReducingLoss):
    """``MultiLabelMarginLoss(size_average=None, reduce=None, reduction='mean')``."""

    def forward(self, input: Any, target: Any) -> Any:
        return multilabel_margin_loss(input, target, reduction=self.reduction)


class LocalResponseNorm(Module):
    """``LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)``."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Any) -> Any:
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
