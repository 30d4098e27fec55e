"""``eager.nn.modules.loss``: PyTorch's module path of loss layers
(``from torch.nn.modules.loss import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from ..loss import (
    ReducingLoss as _Loss,
)
from ..loss_ctc import CTCLoss
from ..loss_more import (
    CosineEmbeddingLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    MarginRankingLoss,
    MultiLabelSoftMarginLoss,
    PoissonNLLLoss,
    SoftMarginLoss,
    TripletMarginLoss,
    TripletMarginWithDistanceLoss,
)
from ..margin_lrn import MultiLabelMarginLoss, MultiMarginLoss

__all__ = ['BCELoss', 'BCEWithLogitsLoss', 'CrossEntropyLoss', 'HuberLoss', 'KLDivLoss', 'L1Loss',
           'MSELoss', 'NLLLoss', 'SmoothL1Loss', '_Loss', 'CTCLoss', 'CosineEmbeddingLoss',
           'GaussianNLLLoss', 'HingeEmbeddingLoss', 'MarginRankingLoss',
           'MultiLabelSoftMarginLoss', 'PoissonNLLLoss', 'SoftMarginLoss', 'TripletMarginLoss',
           'TripletMarginWithDistanceLoss',
           'MultiLabelMarginLoss', 'MultiMarginLoss']


class _WeightedLoss(_Loss):
    """PyTorch's base of the losses taking a class ``weight`` (kept as the buffer ``weight``),
    for custom losses that subclass it."""

    def __init__(self, weight=None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


__all__ += ["_WeightedLoss"]
