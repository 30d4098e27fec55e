"""`Linear` (``y = x W^T + b``), `Identity`, `Flatten` and `Unflatten`.

    >>> Unflatten(1, (2, 5))
    Unflatten(dim=1, unflattened_size=(2, 5))
"""

from __future__ import annotations

import math
from typing import Any

import shared_ops as ops

from . import functional as F
from . import init
from ._factory import param_dtype, weight_and_bias
from .function_layer import FunctionLayer
from .module import Module


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); accepts and ignores any arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        return input


class Linear(Module):
    """``Linear(in_features, out_features, bias=True, dtype=None)``: ``x @ weight.T + bias``.

    ``weight`` is (out_features, in_features) and, like ``bias``, starts as PyTorch's:
    U(-1/sqrt(in_features), 1/sqrt(in_features)).

        >>> Linear(10, 5)
        Linear(in_features=10, out_features=5, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        dtype = param_dtype(dtype, device)
        self.in_features = in_features
        self.out_features = out_features
        weight_and_bias(self, (out_features, in_features), (out_features,), dtype, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Any) -> Any:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class NonDynamicallyQuantizableLinear(Linear):
    """A `Linear` under PyTorch's name for `MultiheadAttention`'s output projection (a
    quantization marker there), so that the attention layer prints as PyTorch's."""


class Flatten(FunctionLayer, function=F.flatten, options=("start_dim", "end_dim")):
    """Merge dims ``start_dim..end_dim`` (default: all but the batch dim)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__(start_dim, end_dim)

    def forward(self, input: Any) -> Any:
        # Written out: a flatten is a cheap view, so reading the options by name (FunctionLayer's
        # forward) would be a visible share of its call.
        return F.flatten(input, self.start_dim, self.end_dim)


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (one entry may be -1)."""

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if isinstance(dim, str):
            raise NotImplementedError("Unflatten: named dims are not supported")
        if not isinstance(unflattened_size, tuple | list) or \
                not all(isinstance(d, int) for d in unflattened_size):
            raise TypeError("unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Any) -> Any:
        shape = tuple(input.shape)
        dim = self.dim % len(shape)
        lead = tuple(-1 if d is None else d for d in shape[:dim])
        trail = tuple(-1 if d is None else d for d in shape[dim + 1:])
        return ops.reshape(input, shape=lead + tuple(self.unflattened_size) + trail)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
