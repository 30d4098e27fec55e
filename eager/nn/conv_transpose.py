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

from typing import Any

import shared_ops as ops

from .conv_base import ConvBase, as_tuple


def _pair(value: Any, name: str) -> tuple[int, int]:
    return as_tuple(value, 2, f"conv_transpose2d: {name}")  # type: ignore[return-value]


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


class ConvTransposeNd(ConvBase):
    """The constructor both transposed layers share (PyTorch's ``_ConvTransposeNd``), over
    ``spatial_dims`` dims; each subclass has its own forward."""

    spatial_dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        n = self.spatial_dims
        self._setup(n, in_channels, out_channels, kernel_size, stride, dilation, groups, bias,
                    padding_mode, device, dtype, output_padding, transposed=True)
        self.padding = as_tuple(padding, n, f"{type(self).__name__}: padding")
        self.reset_parameters()


class ConvTranspose2d(ConvTransposeNd):
    """``ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``; ``forward(input, output_size=None)`` picks ``output_padding`` from a
    requested output size, as PyTorch's."""

    def _output_padding(self, input: Any, output_size: Any) -> tuple[int, ...]:
        # Over spatial_dims dims: ConvTranspose3d (conv3d.py) uses it too.
        if output_size is None:
            return self.output_padding
        n = self.spatial_dims
        size = [int(v) for v in output_size][-n:]
        spatial = tuple(input.shape)[-n:]
        smallest = [(spatial[i] - 1) * self.stride[i] - 2 * self.padding[i]
                    + self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in range(n)]
        largest = [smallest[i] + self.stride[i] - 1 for i in range(n)]
        if any(not smallest[i] <= size[i] <= largest[i] for i in range(n)):
            shown = output_size[len(output_size) - n:]  # as given (a tuple stays one)
            raise ValueError(f"requested an output size of {shown}, but valid sizes range from "
                             f"{smallest} to {largest} (for an input of "
                             f"torch.Size({list(spatial)}))")
        return tuple(size[i] - smallest[i] for i in range(n))

    def forward(self, input: Any, output_size: Any = None) -> Any:
        return conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                self._output_padding(input, output_size), self.groups,
                                self.dilation)


def _single(value: Any, name: str) -> int:
    return as_tuple(value, 1, f"conv_transpose1d: {name}")[0]


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


class ConvTranspose1d(ConvTransposeNd):
    """``ConvTranspose1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``: `ConvTranspose2d`'s parameters with one spatial dim."""

    spatial_dims = 1

    def forward(self, input: Any) -> Any:
        return conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding,
                                self.output_padding, self.groups, self.dilation)
