"""`Conv1d`: 1-d convolution over (N, C, L) inputs, PyTorch's parameters, defaults,
initialization and repr.

    >>> Conv1d(3, 16, 3)
    Conv1d(3, 16, kernel_size=(3,), stride=(1,))
"""

from __future__ import annotations

from typing import Any

from . import functional_pool1d as F1
from .conv_base import ConvNd


class Conv1d(ConvNd):
    """``Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    be ``"valid"`` or ``"same"`` (stride 1)."""

    spatial_dims = 1

    def forward(self, input: Any) -> Any:
        input, padding = self._padded(input)  # noqa: A001
        padding = padding[0]
        return F1.conv1d(input, self.weight, self.bias, self.stride[0], padding,
                         self.dilation[0], self.groups)
