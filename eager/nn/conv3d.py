"""`Conv3d`: 3-d convolution over (N, C, D, H, W) inputs, PyTorch's parameters, defaults,
initialization and repr.

    >>> Conv3d(3, 8, 3)
    Conv3d(3, 8, kernel_size=(3, 3, 3), stride=(1, 1, 1))
"""

from __future__ import annotations

from typing import Any

from . import functional_conv3d as F3
from .conv_base import ConvNd


class Conv3d(ConvNd):
    """``Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    be ``"valid"`` or ``"same"`` (stride 1)."""

    spatial_dims = 3

    def forward(self, input: Any) -> Any:
        return F3.conv3d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                         self.groups)
