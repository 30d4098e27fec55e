"""``eager.nn.modules.pooling``: PyTorch's module path of pooling layers
(``from torch.nn.modules.pooling import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..pooling import AvgPool2d, MaxPool2d
from ..pooling import AvgPoolNd as _AvgPoolNd
from ..pooling import MaxPoolNd as _MaxPoolNd
from ..pooling_1d_adaptive import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    MaxPool1d,
)
from ..pooling_3d import AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, MaxPool3d
from ..pooling_lp import LPPool1d, LPPool2d, LPPool3d
from ..unpooling import MaxUnpool1d, MaxUnpool2d, MaxUnpool3d

__all__ = ['AvgPool2d', 'MaxPool2d', '_AvgPoolNd', '_MaxPoolNd', 'AdaptiveAvgPool1d',
           'AdaptiveAvgPool2d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'AvgPool1d', 'MaxPool1d',
           'AdaptiveAvgPool3d', 'AdaptiveMaxPool3d', 'AvgPool3d', 'MaxPool3d', 'MaxUnpool1d',
           'MaxUnpool2d', 'MaxUnpool3d', 'LPPool1d', 'LPPool2d', 'LPPool3d']
