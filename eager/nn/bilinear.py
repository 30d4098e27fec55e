"""`Bilinear` and `bilinear`: ``y_k = x1^T W_k x2 + b_k`` for each output feature k, over any
leading batch dims, with PyTorch's weight layout (out, in1, in2) and initialization.

One matrix product does the work: ``x1 @ W`` as (N, in1) x (in1, out * in2), then the product
with ``x2`` summed over in2.

    >>> import eager
    >>> Bilinear(3, 4, 5)
    Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)
    >>> bilinear(eager.ones(2, 3), eager.ones(2, 4), eager.ones(5, 3, 4)).shape
    torch.Size([2, 5])
"""

from __future__ import annotations

import math
from typing import Any

import shared_ops as ops

from . import init
from ._factory import param_dtype, weight_and_bias
from .module import Module


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Any:
    """``x1^T W_k x2 + b_k``: (*, in1) and (*, in2) with a (out, in1, in2) ``weight``."""
    lead1, lead2 = tuple(input1.shape[:-1]), tuple(input2.shape[:-1])
    for dim, (a, b) in enumerate(zip(lead1, lead2, strict=False)):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {dim}: "
                               f"got {a} and {b}")
    out_features, in1, in2 = (int(d) for d in weight.shape)
    x1 = ops.reshape(input1, shape=(-1, in1))
    x2 = ops.reshape(input2, shape=(-1, in2))
    # (in1, out * in2): W with in1 first, so x1 @ it gives every output's x1^T W_k at once.
    w = ops.reshape(ops.transpose(weight, axes=(1, 0, 2)), shape=(in1, out_features * in2))
    left = ops.reshape(ops.matmul(x1, w), shape=(-1, out_features, in2))
    out = ops.sum(ops.mul(left, ops.expand_dims(x2, axis=1)), axis=2)
    if bias is not None:
        out = ops.add(out, bias)
    return ops.reshape(out, shape=(*lead1, out_features))


class Bilinear(Module):
    """``Bilinear(in1_features, in2_features, out_features, bias=True, device=None,
    dtype=None)``; weight and bias uniform in +-1/sqrt(in1_features)."""

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        dtype = param_dtype(dtype, device)
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        weight_and_bias(self, (out_features, in1_features, in2_features), (out_features,), dtype,
                        bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features="
                             f"{self.in1_features})")
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Any, input2: Any) -> Any:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
