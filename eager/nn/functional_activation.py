"""Activation functions of ``eager.nn.functional``, composed of shared ops.

Each is PyTorch's formula with PyTorch's gradient at the kinks (``hardtanh`` passes none at its
bounds, ``leaky_relu`` gives the slope at 0, ``elu`` gives ``alpha`` at 0). Branches are
selects (``where``) over both sides, and a side that could overflow where it is not chosen is
clamped first: ``0 * inf`` in the unused branch's gradient would otherwise turn into NaN.

``inplace=True`` writes the result into an eager input Tensor (autograd rebased as for
PyTorch's ``relu_``); on other values (arrays, static graph nodes) it is out of place.

    >>> import eager
    >>> leaky_relu(eager.tensor([-2.0, 3.0]), 0.5)
    tensor([-1.,  3.])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shared_ops as ops

from ..tensor import Tensor
from ..tensor_inplace import inplace as write_inplace
from .backward_names import name_backward


def maybe_inplace(input: Any, inplace: bool, name: str, compute: Callable[[Any], Any],
                  torch_name: str | None = None) -> Any:
    """``compute(input)``, written into ``input`` when ``inplace`` and it is an eager Tensor;
    out of place, its backward node named ``torch_name`` (PyTorch's node for the function,
    which eager composes of several ops: ``F.silu(x).grad_fn`` prints as SiluBackward0)."""
    if inplace and isinstance(input, Tensor):
        return write_inplace(input, compute, name=name)
    out = compute(input)
    return out if torch_name is None else name_backward(out, torch_name)


def relu(input: Any, inplace: bool = False) -> Any:
    return maybe_inplace(input, inplace, "relu_", ops.relu)


def relu6(input: Any, inplace: bool = False) -> Any:
    return hardtanh(input, 0.0, 6.0, inplace)


def sigmoid(input: Any) -> Any:
    return ops.sigmoid(input)


def tanh(input: Any) -> Any:
    return ops.tanh(input)


def gelu(input: Any, approximate: str = "none") -> Any:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate argument must be either none or tanh, got {approximate}")
    return ops.gelu(input, approximate=approximate)


def silu(input: Any, inplace: bool = False) -> Any:
    """``x * sigmoid(x)`` (swish)."""
    return maybe_inplace(input, inplace, "silu_", lambda x: ops.mul(x, ops.sigmoid(x)),
                         "SiluBackward0")


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """``log(1 + exp(beta x)) / beta``, and ``x`` itself where ``beta x > threshold``."""
    bx = ops.mul(input, beta)
    # exp of at most `threshold`: the unused branch cannot overflow (nor its gradient be NaN).
    # (clip, not minimum: at the threshold itself minimum would halve the gradient.)
    smooth = ops.div(ops.log1p(ops.exp(ops.clip(bx, max=float(threshold)))), beta)
    return name_backward(ops.where(ops.gt(bx, threshold), input, smooth), "SoftplusBackward0")


def mish(input: Any, inplace: bool = False) -> Any:
    """``x * tanh(softplus(x))``."""
    return maybe_inplace(input, inplace, "mish_",
                         lambda x: ops.mul(x, ops.tanh(softplus(x))), "MishBackward0")


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    """``x`` where ``x > 0``, else ``negative_slope * x``."""
    return maybe_inplace(input, inplace, "leaky_relu_", lambda x: ops.where(
        ops.gt(x, 0), x, ops.mul(x, negative_slope)), "LeakyReluBackward0")


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``."""
    def compute(x: Any) -> Any:
        negative = ops.mul(ops.sub(ops.exp(ops.clip(x, max=0.0)), 1.0), alpha)
        return ops.where(ops.gt(x, 0), x, negative)
    return maybe_inplace(input, inplace, "elu_", compute, "EluBackward0")


def selu(input: Any, inplace: bool = False) -> Any:
    """``scale * elu(x, alpha)`` with the self-normalizing constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return maybe_inplace(input, inplace, "selu_", lambda x: ops.mul(elu(x, alpha), scale),
                         "EluBackward0")


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Any:
    """``x`` clamped to ``[min_val, max_val]``; no gradient at or beyond the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")

    def compute(x: Any) -> Any:
        # The bounds are constants where they apply: x gets gradient strictly inside only.
        upper = ops.where(ops.ge(x, max_val), float(max_val), x)
        return ops.where(ops.le(x, min_val), float(min_val), upper)
    return maybe_inplace(input, inplace, "hardtanh_", compute, "HardtanhBackward0")


def logsigmoid(input: Any) -> Any:
    """``log(sigmoid(x)) = -softplus(-x)``, computed without overflow."""
    return name_backward(ops.neg(softplus(ops.neg(input))), "LogSigmoidBackward0")


def _softmax_dim(ndim: int) -> int:
    # PyTorch's legacy implicit choice when dim is not given.
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Any:
    if dtype is not None:
        input = ops.cast(input, dtype=dtype)
    return ops.softmax(input, axis=_softmax_dim(input.ndim) if dim is None else dim)


def log_softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Any:
    if dtype is not None:
        input = ops.cast(input, dtype=dtype)
    return ops.log_softmax(input, axis=_softmax_dim(input.ndim) if dim is None else dim)


__all__ = ["relu", "relu6", "sigmoid", "tanh", "gelu", "silu", "softplus", "mish", "leaky_relu",
           "elu", "selu", "hardtanh", "logsigmoid", "softmax", "log_softmax", "maybe_inplace"]
