"""`Conv2d`: 2-d convolution over NCHW inputs, PyTorch's parameters, defaults and repr."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .conv_base import ConvNd


class Conv2d(ConvNd):
    """``Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    also be ``"valid"`` or ``"same"`` (stride 1), kept as given, as PyTorch keeps them.

        >>> Conv2d(3, 16, 3, padding=1)
        Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """

    spatial_dims = 2

    def forward(self, input: Any) -> Any:
        input, padding = self._padded(input)  # noqa: A001
        return F.conv2d(input, self.weight, self.bias, self.stride, padding, self.dilation,
                        self.groups)
