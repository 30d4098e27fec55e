"""`Conv1d`: 1-d convolution over (N, C, L) inputs, PyTorch's parameters, defaults,
initialization and repr.

    >>> Conv1d(3, 16, 3)
    Conv1d(3, 16, kernel_size=(3,), stride=(1,))
"""

from __future__ import annotations

from typing import Any

from . import functional_pool1d as F1
from .conv_base import ConvBase


class Conv1d(ConvBase):
    """``Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``; ``padding`` may
    be ``"valid"`` or ``"same"`` (stride 1)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self._setup(1, in_channels, out_channels, kernel_size, stride, dilation, groups, bias,
                    padding_mode, device, dtype)
        self.padding: Any = self._keep_padding(padding, 1)
        self.reset_parameters()

    def forward(self, input: Any) -> Any:
        padding = self.padding if isinstance(self.padding, str) else self.padding[0]
        return F1.conv1d(input, self.weight, self.bias, self.stride[0], padding,
                         self.dilation[0], self.groups)
