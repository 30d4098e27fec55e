"""``eager.nn.modules.pooling``: PyTorch's module path of pooling layers, for
``from torch.nn.modules.pooling import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import (
    pooling,
    pooling_1d_adaptive,
    pooling_3d,
    pooling_fractional,
    pooling_lp,
    unpooling,
)
from ..pooling import AvgPoolNd as _AvgPoolNd
from ..pooling import MaxPoolNd as _MaxPoolNd
from .layer_export import export_layers

__all__ = export_layers(globals(), pooling, pooling_1d_adaptive, pooling_3d, pooling_lp, unpooling,
                        pooling_fractional)
__all__ += ["_AvgPoolNd", "_MaxPoolNd"]
