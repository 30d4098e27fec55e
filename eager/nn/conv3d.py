"""`Conv3d` and `ConvTranspose3d`: 3-d (transposed) convolution over (N, C, D, H, W)
inputs, PyTorch's parameters, defaults, initialization and repr.

    >>> Conv3d(3, 8, 3)
    Conv3d(3, 8, kernel_size=(3, 3, 3), stride=(1, 1, 1))
    >>> ConvTranspose3d(8, 3, 2, stride=2)
    ConvTranspose3d(8, 3, kernel_size=(2, 2, 2), stride=(2, 2, 2))
"""

from __future__ import annotations

from typing import Any

from . import functional_conv3d as F3
from .conv_base import ConvNd
from .conv_transpose import ConvTranspose2d, ConvTransposeNd


class Conv3d(ConvNd):
    """``Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    be ``"valid"`` or ``"same"`` (stride 1)."""

    spatial_dims = 3

    def forward(self, input: Any) -> Any:
        input, padding = self._padded(input)  # noqa: A001
        return F3.conv3d(input, self.weight, self.bias, self.stride, padding, self.dilation,
                         self.groups)


class ConvTranspose3d(ConvTransposeNd):
    """``ConvTranspose3d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``; ``forward(input, output_size=None)`` picks ``output_padding`` from a
    requested output size, as PyTorch's."""

    spatial_dims = 3

    # PyTorch's rule for output_size, written over spatial_dims dims on ConvTranspose2d.
    _output_padding = ConvTranspose2d._output_padding

    def forward(self, input: Any, output_size: Any = None) -> Any:
        return F3.conv_transpose3d(input, self.weight, self.bias, self.stride, self.padding,
                                   self._output_padding(input, output_size), self.groups,
                                   self.dilation)
