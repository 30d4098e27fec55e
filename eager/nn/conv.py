"""`Conv2d`: 2-d convolution over NCHW inputs, PyTorch's parameters, defaults and repr."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .conv_base import ConvNd, as_tuple


class Conv2d(ConvNd):
    """``Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    groups=1, bias=True, dtype=None)``; ``padding`` may also be ``"valid"`` or ``"same"``
    (stride 1, odd effective kernel).

        >>> Conv2d(3, 16, 3, padding=1)
        Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """

    spatial_dims = 2

    def _padding(self, padding: int | tuple[int, int] | str) -> Any:
        # "valid" and "same" become the padding they mean (PyTorch keeps the string).
        if padding == "valid":
            return (0, 0)
        if padding == "same":
            if self.stride != (1, 1):
                raise ValueError("padding='same' is not supported for strided convolutions")
            spans = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation, strict=True)]
            if any(s % 2 for s in spans):
                raise NotImplementedError("Conv2d: padding='same' needs an odd effective kernel "
                                          "size here (asymmetric padding is not supported)")
            return tuple(s // 2 for s in spans)
        if isinstance(padding, str):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             "{'valid', 'same'}")
        return as_tuple(padding, 2, "Conv2d: padding")

    def forward(self, input: Any) -> Any:
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)
