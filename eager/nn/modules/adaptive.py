"""``eager.nn.modules.adaptive``: PyTorch's module path of the adaptive softmax
(``from torch.nn.modules.adaptive import AdaptiveLogSoftmaxWithLoss``)."""

from __future__ import annotations

from ..adaptive import AdaptiveLogSoftmaxWithLoss

__all__ = ["AdaptiveLogSoftmaxWithLoss"]
