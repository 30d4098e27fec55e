"""`Unfold` / `unfold` (sliding local blocks of an image as columns, "im2col") and `Fold` /
`fold` (columns summed back into an image, its adjoint).

Unfolding is a grouped convolution with a one-hot kernel: output channel ``c * K + k`` (K taps
per block) picks tap ``k`` of input channel ``c``, which is PyTorch's column order, so the
convolution's kernels and gradient rules do the work. Folding is the transposed convolution
with the same one-hot kernel, which sums every block's taps back into place.

    >>> import eager
    >>> unfold(eager.arange(9.0).reshape(1, 1, 3, 3), 2)
    tensor([[[0., 1., 3., 4.],
             [1., 2., 4., 5.],
             [3., 4., 6., 7.],
             [4., 5., 7., 8.]]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from .conv_transpose import conv_transpose2d
from .module import Module


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, int | np.integer):
        return (int(value), int(value))
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValueError(f"expected an int or a pair, got {value!r}")
    return pair  # type: ignore[return-value]


def _one_hot_kernel(channels: int, k: tuple[int, int], dtype: Any) -> np.ndarray:
    """(channels * K, 1, kh, kw): output channel c * K + t is 1 at tap t."""
    taps = k[0] * k[1]
    eye = np.eye(taps, dtype=np.dtype(dtype)).reshape(taps, 1, k[0], k[1])
    return np.tile(eye, (channels, 1, 1, 1))


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Any:
    """(N, C, H, W) (or unbatched (C, H, W)) -> (N, C * kh * kw, L), L blocks."""
    if input.ndim < 3:  # PyTorch reads dim 2 first: its IndexError
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-input.ndim}, {input.ndim - 1}], but got 2)")
    if input.ndim > 4:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size "
                           f"and other non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    unbatched = input.ndim == 3
    x = ops.expand_dims(input, axis=0) if unbatched else input
    k = _pair(kernel_size)
    channels = int(x.shape[1])
    kernel = _one_hot_kernel(channels, k, x.dtype)
    cols = ops.conv2d(x, kernel, None, stride=_pair(stride), padding=_pair(padding),
                      dilation=_pair(dilation), groups=channels)
    n, ck, oh, ow = tuple(cols.shape)
    out = ops.reshape(cols, shape=(n, ck, oh * ow))
    return ops.squeeze(out, axis=0) if unbatched else out


def fold(input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Any:
    """(N, C * kh * kw, L) (or unbatched (C * kh * kw, L)) -> (N, C, H, W): each column's taps
    added into their block of the ``output_size`` image."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           f"batch size and non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    unbatched = input.ndim == 2
    x = ops.expand_dims(input, axis=0) if unbatched else input
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    size = _pair(output_size)
    taps = k[0] * k[1]
    n, ck, length = (int(v) for v in x.shape)
    if ck % taps:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={ck} and kernel_size={k}.")
    blocks = [(size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in (0, 1)]
    if blocks[0] * blocks[1] != length:
        raise RuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={d}, "
                           f"padding={p}, stride={s}, expected size of input's dimension 2 to "
                           f"match the calculated number of sliding blocks {blocks[0]} * "
                           f"{blocks[1]} = {blocks[0] * blocks[1]}, but got input.size(2)="
                           f"{length}.")
    channels = ck // taps
    grid = ops.reshape(x, shape=(n, ck, blocks[0], blocks[1]))
    # The transposed convolution's own size falls short of output_size by the rows and columns
    # no block reaches (fewer than a stride): its output_padding, left as zeros.
    reached = [(blocks[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + 1 for i in (0, 1)]
    extra = tuple(size[i] - reached[i] for i in (0, 1))
    kernel = _one_hot_kernel(channels, k, x.dtype)
    out = conv_transpose2d(grid, kernel, None, s, p, extra, channels, d)
    return ops.squeeze(out, axis=0) if unbatched else out


class Unfold(Module):
    """``Unfold(kernel_size, dilation=1, padding=0, stride=1)``."""

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
                 stride: Any = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input: Any) -> Any:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Fold(Module):
    """``Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)``."""

    def __init__(self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
                 stride: Any = 1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Any) -> Any:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                    self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")
