"""`ConvBase`: what `Conv1d`, `Conv2d`, `Conv3d`, `ConvTranspose1d` and `ConvTranspose2d`
share, as PyTorch's ``_ConvNd`` does: the argument checks, the weight and bias, their
initialization, PyTorch's padding rule (`_keep_padding`; `Conv2d` keeps its own) and the repr;
`ConvNd` adds the plain convolutions' constructor.

    >>> as_tuple(3, 2, "Conv2d: kernel_size")
    (3, 3)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import init
from ._factory import param_dtype, weight_and_bias
from .functional_conv_padding import warn_uneven_same
from .functional_shape import pad
from .module import Module


def as_tuple(value: Any, n: int, what: str) -> tuple[int, ...]:
    """``value`` (an int, or a sequence of ``n`` ints) as an ``n``-tuple of ints; ``what``
    names the argument in the error (e.g. ``"Conv2d: stride"``)."""
    if isinstance(value, int | np.integer):
        return (int(value),) * n
    items = tuple(int(v) for v in value)
    if len(items) != n:
        shape = {1: "a one-element tuple", 2: "a pair"}.get(n, f"a {n}-element tuple")
        raise ValueError(f"{what} must be an int or {shape}, got {value!r}")
    return items


class ConvBase(Module):
    """The parameters and repr of an ``n``-d (transposed) convolution layer; a subclass calls
    `_setup`, sets ``padding`` its own way, then `reset_parameters`."""

    def _setup(self, n: int, in_channels: int, out_channels: int, kernel_size: Any,
               stride: Any, dilation: Any, groups: int, bias: bool, padding_mode: str,
               device: Any, dtype: Any, output_padding: Any = 0, transposed: bool = False) -> None:
        name = type(self).__name__
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        valid_modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in valid_modes:
            raise ValueError(f"padding_mode must be one of {valid_modes}, but got "
                             f"padding_mode='{padding_mode}'")
        if padding_mode != "zeros" and transposed:
            raise ValueError(f'Only "zeros" padding mode is supported for {name}')
        dtype = param_dtype(dtype, device)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.transposed = transposed
        self.kernel_size = as_tuple(kernel_size, n, f"{name}: kernel_size")
        self.stride = as_tuple(stride, n, f"{name}: stride")
        self.dilation = as_tuple(dilation, n, f"{name}: dilation")
        self.output_padding = as_tuple(output_padding, n, f"{name}: output_padding")
        self.padding_mode = padding_mode
        # A transposed weight is (in, out / groups, *k), a plain one (out, in / groups, *k).
        lead = (in_channels, out_channels // groups) if transposed \
            else (out_channels, in_channels // groups)
        weight_and_bias(self, lead + self.kernel_size, (out_channels,), dtype, bias)

    def _keep_padding(self, padding: Any, n: int) -> Any:
        """PyTorch's ``padding`` rule of an ``n``-d convolution (after `_setup`): ``"valid"``
        or ``"same"`` kept as given (``"same"`` with stride 1 only), else an ``n``-tuple."""
        if not isinstance(padding, str):
            return as_tuple(padding, n, f"{type(self).__name__}: padding")
        if padding not in ("valid", "same"):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             "{'valid', 'same'}")
        if padding == "same" and self.stride != (1,) * n:
            raise ValueError("padding='same' is not supported for strided convolutions")
        return padding

    def reset_parameters(self) -> None:
        """PyTorch's initialization: kaiming-uniform weights (a = sqrt(5)), and a bias uniform
        in +-1/sqrt(fan_in) of the weight (for a transposed weight, its dim 1 times the
        kernel: out_channels / groups)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class ConvNd(ConvBase):
    """A plain (not transposed) convolution with PyTorch's constructor, shared by `Conv1d`,
    `Conv2d` and `Conv3d`; a subclass sets ``spatial_dims`` (as the transposed ones do) and
    writes ``forward`` (and may resolve ``padding`` its own way in `_padding`)."""

    spatial_dims = 0

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self._setup(self.spatial_dims, in_channels, out_channels, kernel_size, stride, dilation,
                    groups, bias, padding_mode, device, dtype)
        self.padding: Any = self._padding(padding)
        self.reset_parameters()

    def _padding(self, padding: Any) -> Any:
        """The ``padding`` attribute for the argument: PyTorch's rule, `_keep_padding`."""
        return self._keep_padding(padding, self.spatial_dims)

    def _padded(self, input: Any) -> tuple[Any, Any]:  # noqa: A002
        """``(input, padding)`` for the convolution, as PyTorch pads: numbers as given for
        ``padding_mode="zeros"``; ``"same"``'s total split with the extra element after (by
        ``F.pad`` when the split is uneven); other modes by ``F.pad`` in that mode, padding 0."""
        n = self.spatial_dims
        if self.padding == "valid":
            return input, (0,) * n
        if self.padding == "same":
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size, strict=True)]
            pairs = [(t // 2, t - t // 2) for t in totals]
            if any(t % 2 for t in totals):
                warn_uneven_same(stacklevel=5)  # PyTorch's layer warns through F.conv*d
        elif self.padding_mode == "zeros":
            return input, self.padding
        else:
            pairs = [(p, p) for p in self.padding]
        if self.padding_mode == "zeros" and all(a == b for a, b in pairs):
            return input, tuple(a for a, _ in pairs)
        widths = tuple(w for pair in reversed(pairs) for w in pair)  # last dim first, as F.pad
        mode = "constant" if self.padding_mode == "zeros" else self.padding_mode
        return pad(input, widths, mode=mode), (0,) * n
