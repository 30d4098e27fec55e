"""`ConvTranspose2d` and `conv_transpose2d`: the transposed ("fractionally strided")
convolution, which maps each input position to a kernel-sized patch of the output.

It is exactly the gradient of `conv2d` with respect to its input, for a convolution from the
transposed convolution's output size down to its input size, so it is that op
(``conv2d_input_grad``, whose own gradient rule is conv2d again): no second convolution kernel
to keep right. The output size is PyTorch's ``(H - 1) * stride - 2 * padding + dilation *
(kernel - 1) + output_padding + 1``.

    >>> import eager
    >>> ConvTranspose2d(8, 4, 4, 2, 1, bias=False)
    ConvTranspose2d(8, 4, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
    >>> conv_transpose2d(eager.ones(1, 1, 2, 2), eager.ones(1, 1, 2, 2), stride=2).shape
    torch.Size([1, 1, 4, 4])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from . import init
from ._factory import empty_parameter, param_dtype
from .module import Module


def _pair(value: Any, name: str) -> tuple[int, int]:
    if isinstance(value, int | np.integer):
        return (int(value), int(value))
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValueError(f"conv_transpose2d: {name} must be an int or a pair, got {value!r}")
    return pair  # type: ignore[return-value]


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Any:
    """Transposed convolution of (N, C_in, H, W) (or unbatched (C_in, H, W)) by a
    (C_in, C_out / groups, kH, kW) weight."""
    unbatched = input.ndim == 3
    x = ops.expand_dims(input, axis=0) if unbatched else input
    if x.ndim != 4 or weight.ndim != 4:
        raise RuntimeError(f"conv_transpose2d: expected a 3-d or 4-d input and a 4-d weight, "
                           f"got input of size {list(input.shape)} and weight of size "
                           f"{list(weight.shape)}")
    s, p = _pair(stride, "stride"), _pair(padding, "padding")
    op, d = _pair(output_padding, "output_padding"), _pair(dilation, "dilation")
    n, c_in, h, w = tuple(x.shape)
    if c_in != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[0]} channels, but got "
                           f"{c_in} channels instead")
    for i in (0, 1):
        if op[i] >= max(s[i], d[i]):
            raise RuntimeError(
                f"output padding must be smaller than either stride or dilation, but got "
                f"output_padding_height: {op[0]} output_padding_width: {op[1]} stride_height: "
                f"{s[0]} stride_width: {s[1]} dilation_height: {d[0]} dilation_width: {d[1]}")
        if op[i] >= s[i]:
            # The output would then be wider than any convolution of it gives back H.
            raise NotImplementedError("conv_transpose2d: output_padding >= stride (allowed by "
                                      "a larger dilation) is not supported")
    k = tuple(weight.shape[2:])
    out_hw = [(size - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1
              for i, size in enumerate((h, w))]
    out = ops.conv2d_input_grad(x, weight, shape=(n, weight.shape[1] * groups, *out_hw),
                                stride=s, padding=p, dilation=d, groups=int(groups))
    if bias is not None:
        out = ops.add(out, ops.reshape(bias, shape=(-1, 1, 1)))
    return ops.squeeze(out, axis=0) if unbatched else out


class ConvTranspose2d(Module):
    """``ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``; ``forward(input, output_size=None)`` picks ``output_padding`` from a
    requested output size, as PyTorch's."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for ConvTranspose2d')
        dtype = param_dtype(dtype, device)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride, self.padding = _pair(stride, "stride"), _pair(padding, "padding")
        self.output_padding = _pair(output_padding, "output_padding")
        self.dilation = _pair(dilation, "dilation")
        self.padding_mode = padding_mode
        self.weight = empty_parameter((in_channels, out_channels // groups) + self.kernel_size,
                                      dtype)
        if bias:
            self.bias = empty_parameter((out_channels,), dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's: kaiming-uniform (a = sqrt(5)) over the weight's fan-in (its dim 1 times
        the kernel: out_channels / groups here), the bias uniform in +-1/sqrt(that)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _output_padding(self, input: Any, output_size: Any) -> tuple[int, int]:
        if output_size is None:
            return self.output_padding
        size = [int(v) for v in output_size][-2:]
        spatial = tuple(input.shape)[-2:]
        smallest = [(spatial[i] - 1) * self.stride[i] - 2 * self.padding[i]
                    + self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in (0, 1)]
        largest = [smallest[i] + self.stride[i] - 1 for i in (0, 1)]
        if any(not smallest[i] <= size[i] <= largest[i] for i in (0, 1)):
            raise ValueError(f"requested an output size of {size}, but valid sizes range from "
                             f"{smallest} to {largest} (for an input of "
                             f"torch.Size({list(spatial)}))")
        return (size[0] - smallest[0], size[1] - smallest[1])

    def forward(self, input: Any, output_size: Any = None) -> Any:
        return conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                self._output_padding(input, output_size), self.groups,
                                self.dilation)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


def _single(value: Any, name: str) -> int:
    if isinstance(value, int | np.integer):
        return int(value)
    items = tuple(int(v) for v in value)
    if len(items) != 1:
        raise ValueError(f"conv_transpose1d: {name} must be an int or a one-element tuple, got "
                         f"{value!r}")
    return items[0]


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Any:
    """Transposed convolution of (N, C_in, L) (or unbatched (C_in, L)) by a
    (C_in, C_out / groups, k) weight: `conv_transpose2d` over a height of one."""
    unbatched = input.ndim == 2
    x = ops.expand_dims(input, axis=0) if unbatched else input
    out = conv_transpose2d(ops.expand_dims(x, axis=2), ops.expand_dims(weight, axis=2), bias,
                           (1, _single(stride, "stride")), (0, _single(padding, "padding")),
                           (0, _single(output_padding, "output_padding")), groups,
                           (1, _single(dilation, "dilation")))
    out = ops.squeeze(out, axis=2)
    return ops.squeeze(out, axis=0) if unbatched else out


class ConvTranspose1d(Module):
    """``ConvTranspose1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``: `ConvTranspose2d`'s parameters with one spatial dim."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for ConvTranspose1d')
        dtype = param_dtype(dtype, device)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = (_single(kernel_size, "kernel_size"),)
        self.stride, self.padding = (_single(stride, "stride"),), (_single(padding, "padding"),)
        self.output_padding = (_single(output_padding, "output_padding"),)
        self.dilation = (_single(dilation, "dilation"),)
        self.padding_mode = padding_mode
        self.weight = empty_parameter((in_channels, out_channels // groups) + self.kernel_size,
                                      dtype)
        if bias:
            self.bias = empty_parameter((out_channels,), dtype)
        else:
            self.register_parameter("bias", None)
        ConvTranspose2d.reset_parameters(self)  # the same rule over this weight's fan-in

    def forward(self, input: Any) -> Any:
        return conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding,
                                self.output_padding, self.groups, self.dilation)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,):
            s += f", padding={self.padding}"
        if self.dilation != (1,):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s
