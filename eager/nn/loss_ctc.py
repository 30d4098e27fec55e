"""`CTCLoss`, the layer of the CTC loss (`functional_ctc.ctc_loss`), as PyTorch's.

    >>> CTCLoss(blank=1)
    CTCLoss()
"""

from __future__ import annotations

from typing import Any

from .functional_ctc import ctc_loss
from .loss import ReducingLoss


class CTCLoss(ReducingLoss):
    """``CTCLoss(blank=0, reduction='mean', zero_infinity=False)``;
    ``forward(log_probs, targets, input_lengths, target_lengths)``."""

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False
                 ) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs: Any, targets: Any, input_lengths: Any,
                target_lengths: Any) -> Any:
        return ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                        self.reduction, self.zero_infinity)


__all__ = ["CTCLoss"]
