"""`Conv3d`: 3-d convolution over (N, C, D, H, W) inputs, PyTorch's parameters, defaults,
initialization and repr.

    >>> Conv3d(3, 8, 3)
    Conv3d(3, 8, kernel_size=(3, 3, 3), stride=(1, 1, 1))
"""

from __future__ import annotations

from typing import Any

from . import functional_conv3d as F3
from .conv_base import ConvBase


class Conv3d(ConvBase):
    """``Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    be ``"valid"`` or ``"same"`` (stride 1)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self._setup(3, in_channels, out_channels, kernel_size, stride, dilation, groups, bias,
                    padding_mode, device, dtype)
        self.padding: Any = self._keep_padding(padding, 3)
        self.reset_parameters()

    def forward(self, input: Any) -> Any:
        return F3.conv3d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                         self.groups)
