"""``eager.nn.modules.loss``: PyTorch's module path of loss layers, for
``from torch.nn.modules.loss import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import loss, loss_ctc, loss_more
from ..loss import ReducingLoss as _Loss
from ..margin_lrn import MultiLabelMarginLoss, MultiMarginLoss
from .layer_export import export_layers

__all__ = export_layers(globals(), loss, loss_more, loss_ctc)
__all__ += ["_Loss", "MultiLabelMarginLoss", "MultiMarginLoss"]


class _WeightedLoss(_Loss):
    """PyTorch's base of the losses taking a class ``weight`` (kept as the buffer ``weight``),
    for custom losses that subclass it."""

    def __init__(self, weight=None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


__all__ += ["_WeightedLoss"]
