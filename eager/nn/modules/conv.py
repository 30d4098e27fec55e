"""``eager.nn.modules.conv``: PyTorch's module path of convolutions
(``from torch.nn.modules.conv import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..conv import Conv2d
from ..conv1d import Conv1d
from ..conv3d import Conv3d, ConvTranspose3d
from ..conv_base import ConvNd as _ConvNd
from ..conv_transpose import ConvTranspose1d, ConvTranspose2d
from ..conv_transpose import ConvTransposeNd as _ConvTransposeNd
from ..lazy import (
    LazyConv1d,
    LazyConv2d,
    LazyConv3d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyConvTranspose3d,
)

__all__ = ['Conv2d', 'Conv1d', 'Conv3d', 'ConvTranspose3d', '_ConvNd', 'ConvTranspose1d',
           'ConvTranspose2d', '_ConvTransposeNd', 'LazyConv1d', 'LazyConv2d', 'LazyConv3d',
           'LazyConvTranspose1d', 'LazyConvTranspose2d', 'LazyConvTranspose3d']
