"""`GroupNorm` and `group_norm`: each sample's channels split into groups, every group
normalized to zero mean and unit (biased) variance over its channels and positions, then a
per-channel scale and shift.

A group of (N, C, *) is one row of the input viewed as (N, G, C / G * positions), so the
normalization is `layer_norm` over that last axis (its kernel and gradient rule), and the affine
part broadcasts the (C,) weight over positions.

    >>> import eager
    >>> GroupNorm(2, 4)
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    >>> out = group_norm(eager.arange(8.0).reshape(1, 4, 2), 2)
    >>> [round(v, 4) for v in out[0, :2].reshape(-1).tolist()]
    [-1.3416, -0.4472, 0.4472, 1.3416]
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from ._factory import affine_parameters, param_dtype, reset_affine
from .module import Module


def group_norm(input: Any, num_groups: int, weight: Any = None, bias: Any = None,
               eps: float = 1e-5) -> Any:
    """Normalize (N, C, *) over groups of ``C / num_groups`` channels, then ``* weight + bias``
    per channel (each optional, shape (C,))."""
    shape = tuple(input.shape)
    if len(shape) < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{len(shape)}")
    n, c = shape[0], shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(shape)} and "
                           f"num_groups={num_groups}")
    grouped = ops.reshape(input, shape=(n, num_groups, -1))
    out = ops.reshape(ops.layer_norm(grouped, (grouped.shape[-1],), None, None, eps=eps),
                      shape=shape)
    # (C,) against (N, C, *): one trailing axis of size 1 per position axis.
    per_channel = (c,) + (1,) * (len(shape) - 2)
    if weight is not None:
        out = ops.mul(out, ops.reshape(weight, shape=per_channel))
    if bias is not None:
        out = ops.add(out, ops.reshape(bias, shape=per_channel))
    return out


class GroupNorm(Module):
    """``GroupNorm(num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
    *, bias=True)``; ``weight`` starts at ones and ``bias`` at zeros."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        dtype = param_dtype(dtype, device)
        self.num_groups, self.num_channels, self.eps, self.affine = \
            num_groups, num_channels, eps, affine
        affine_parameters(self, (num_channels,), dtype, affine, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        reset_affine(self)

    def forward(self, input: Any) -> Any:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self.bias is not None}")
