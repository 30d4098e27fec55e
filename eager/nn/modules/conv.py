"""``eager.nn.modules.conv``: PyTorch's module path of convolutions, for
``from torch.nn.modules.conv import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import conv, conv1d, conv3d, conv_base, conv_transpose, lazy
from ..conv_base import ConvNd as _ConvNd
from ..conv_transpose import ConvTransposeNd as _ConvTransposeNd
from .layer_export import export_layers

__all__ = export_layers(globals(), conv, conv1d, conv3d, conv_transpose, conv_base)
__all__ += export_layers(globals(), lazy, where=lambda name: name.startswith("LazyConv"))
__all__ += ["_ConvNd", "_ConvTransposeNd"]
