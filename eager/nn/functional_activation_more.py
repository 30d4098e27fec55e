"""More activation functions of ``eager.nn.functional``, composed of shared ops: `prelu`,
`softmin`, `softsign`, `hardswish`, `hardsigmoid`, `glu`, `threshold`, `celu`, `softshrink`,
`hardshrink`, `tanhshrink`.

Each has PyTorch's gradient at its kinks: a branch is a select (``where``) on a comparison with
PyTorch's strictness (``hardsigmoid`` and ``hardswish`` use their middle formula strictly inside
(-3, 3), ``prelu`` takes the slope at 0, the shrinks pass gradient
where ``|x| > lambd``).

    >>> import eager
    >>> hardswish(eager.tensor([-4.0, 0.0, 1.0, 4.0]))
    tensor([-0.0000, 0.0000, 0.6667, 4.0000])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from .backward_names import name_backward
from .functional_activation import elu, hardtanh, leaky_relu, maybe_inplace, relu, selu, softmax


def prelu(input: Any, weight: Any) -> Any:
    """``x`` where ``x > 0``, else ``weight * x``; a (C,) ``weight`` applies along dim 1."""
    channels = int(weight.shape[0]) if weight.ndim else 1
    if channels != 1:
        have = int(input.shape[1]) if input.ndim >= 2 else 1
        if have != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {channels} and channel size = {have}.")
        # (C,) against (N, C, *): trailing axes of size 1.
        weight = ops.reshape(weight, shape=(channels,) + (1,) * (input.ndim - 2))
    return ops.where(ops.gt(input, 0), input, ops.mul(weight, input))


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    """``softmax(-x)`` along ``dim``."""
    return softmax(ops.neg(input), dim, dtype)


def softsign(input: Any) -> Any:
    """``x / (1 + |x|)``."""
    return ops.div(input, ops.add(ops.abs(input), 1.0))


def hardsigmoid(input: Any, inplace: bool = False) -> Any:
    """``relu6(x + 3) / 6``: 0 at or below -3, 1 at or above 3, gradient 1/6 in between."""
    def compute(x: Any) -> Any:
        middle = ops.add(ops.div(x, 6.0), 0.5)
        upper = ops.where(ops.ge(x, 3.0), 1.0, middle)
        return ops.where(ops.le(x, -3.0), 0.0, upper)
    return maybe_inplace(input, inplace, "hardsigmoid_", compute, "HardsigmoidBackward0")


def hardswish(input: Any, inplace: bool = False) -> Any:
    """``x * relu6(x + 3) / 6``: 0 at or below -3, ``x`` at or above 3 (their gradients
    there, as PyTorch's)."""
    def compute(x: Any) -> Any:
        middle = ops.mul(x, ops.add(ops.div(x, 6.0), 0.5))
        upper = ops.where(ops.ge(x, 3.0), x, middle)
        return ops.where(ops.le(x, -3.0), ops.mul(x, 0.0), upper)
    return maybe_inplace(input, inplace, "hardswish_", compute, "HardswishBackward0")


def glu(input: Any, dim: int = -1) -> Any:
    """The gated linear unit: the first half of ``dim`` times the sigmoid of the second."""
    axis = dim % input.ndim if input.ndim else 0
    size = int(input.shape[axis])
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {size}")
    a, b = ops.split(input, 2, axis=axis)
    return name_backward(ops.mul(a, ops.sigmoid(b)), "GluBackward0")


def threshold(input: Any, threshold: float, value: float, inplace: bool = False) -> Any:
    """``x`` where ``x > threshold``, else ``value``."""
    return maybe_inplace(input, inplace, "threshold_", lambda x: ops.where(
        ops.gt(x, threshold), x, float(value)))


_threshold = threshold  # threshold_'s own argument is named threshold, as PyTorch's


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """``x`` where ``x > 0``, else ``alpha * (exp(x / alpha) - 1)``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")

    def compute(x: Any) -> Any:
        negative = ops.mul(ops.sub(ops.exp(ops.div(ops.clip(x, max=0.0), alpha)), 1.0), alpha)
        return ops.where(ops.gt(x, 0), x, negative)
    return maybe_inplace(input, inplace, "celu_", compute, "CeluBackward0")


def _check_lambd(lambd: float, input: Any) -> None:
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype Float, "
                           f"but found {lambd:g}")


def softshrink(input: Any, lambd: float = 0.5) -> Any:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0."""
    _check_lambd(lambd, input)
    shrunk = ops.where(ops.gt(input, lambd), ops.sub(input, lambd), ops.mul(input, 0.0))
    return name_backward(ops.where(ops.lt(input, -lambd), ops.add(input, lambd), shrunk),
                         "SoftshrinkBackward0")


def hardshrink(input: Any, lambd: float = 0.5) -> Any:
    """``x`` where ``|x| > lambd``, else 0."""
    _check_lambd(lambd, input)
    return name_backward(ops.where(ops.gt(ops.abs(input), lambd), input, ops.mul(input, 0.0)),
                         "HardshrinkBackward0")


def tanhshrink(input: Any) -> Any:
    """``x - tanh(x)``."""
    return ops.sub(input, ops.tanh(input))


# The in-place forms PyTorch's functional module names with a trailing underscore.
def relu_(input: Any) -> Any:
    """``relu(input, inplace=True)``."""
    return relu(input, inplace=True)


def elu_(input: Any, alpha: float = 1.0) -> Any:
    """``elu(input, alpha, inplace=True)``."""
    return elu(input, alpha, inplace=True)


def leaky_relu_(input: Any, negative_slope: float = 0.01) -> Any:
    """``leaky_relu(input, negative_slope, inplace=True)``."""
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Any, min_val: float = -1.0, max_val: float = 1.0) -> Any:
    """``hardtanh(input, min_val, max_val, inplace=True)``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input: Any, threshold: float, value: float) -> Any:
    """``threshold(input, threshold, value, inplace=True)``."""
    return _threshold(input, threshold, value, inplace=True)


def celu_(input: Any, alpha: float = 1.0) -> Any:
    """``celu(input, alpha, inplace=True)``."""
    return celu(input, alpha, inplace=True)


def selu_(input: Any) -> Any:
    """``selu(input, inplace=True)``."""
    return selu(input, inplace=True)


__all__ = ["relu_", "elu_", "leaky_relu_", "hardtanh_", "threshold_", "celu_", "selu_", "prelu",
           "softmin", "softsign", "hardsigmoid", "hardswish", "glu", "threshold", "celu",
           "softshrink", "hardshrink", "tanhshrink"]
