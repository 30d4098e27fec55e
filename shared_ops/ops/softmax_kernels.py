"""Softmax and log-softmax, shifted by the max as PyTorch computes them: the shift, and each
function as one kernel.

* ``softmax_shift(x, axis)``: the max along ``axis`` (kept as a size-1 dim), a constant for
  autodiff: the decompositions of `softmax` and `log_softmax` subtract it first;
* ``fused_softmax(x, axis)``: ``exp(x - max) / sum(exp(x - max))``;
* ``fused_log_softmax(x, axis)``: ``(x - max) - log(sum(exp(x - max)))``.

The fused two are the immediate forms of the `softmax` and `log_softmax` composites (eager
values get one kernel, as PyTorch's eager mode does), and the static fusion pass rewrites a
``log_softmax`` decomposition into ``fused_log_softmax``. Their gradient rules are PyTorch's
formulas, reusing the output: ``out * (g - sum(g * out))`` and ``g - exp(out) * sum(g)``.

NOTE: the shift by the max, not by the logsumexp, is what keeps large logits exact: in float32
``1e7 + log 2`` rounds to ``1e7``, so ``exp(x - logsumexp(x))`` made softmax([1e7, 1e7, 0])
[1, 1, 0], and already at logits near 90 a row summed to 1 + 2e-6. A row whose max is not
finite (an inf, a nan, or only -inf) comes out nan, as in PyTorch.

    >>> import numpy as np
    >>> fused_softmax(np.array([1e7, 1e7, 0], np.float32)).tolist()
    [0.5, 0.5, 0.0]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axis
from ..registry import primitive
from ._rules import require_float
from .array_rules import on_arrays
from .elementwise import mul, sub
from .elementwise_math import exp
from .reductions import sum as reduce_sum


# --- softmax_shift: primitive (no gradient) -----------------------------------------------------
# NOTE: its own op, not stop_gradient(max(x)): softmax is the same function of x shifted by
# any constant, so no gradient flows through the shift, and an op without one keeps the
# eager tape and the static graph alike (neither holds a max that the loss does not depend
# on). Unlike `max`, it takes an empty axis (initial -inf): softmax over nothing is empty.
def _shift_kernel(x, axis=-1):
    return np.asarray(np.maximum.reduce(x, axis, None, None, True, -np.inf))


def _shift_rule(x: Aval, axis=-1) -> Aval:
    require_float("softmax_shift", x)
    axis = normalize_axis("softmax_shift", axis, len(x.shape))
    return Aval(tuple(1 if i == axis else d for i, d in enumerate(x.shape)), x.dtype)


softmax_shift = primitive(
    "softmax_shift", _shift_kernel, _shift_rule, None, differentiable_output=False, floating=True,
    doc="softmax_shift(x, axis=-1): the max of x along axis (keepdims; -inf for an empty "
        "axis), with no gradient: what softmax and log_softmax subtract first.")


def shifted(x: np.ndarray, axis: int) -> np.ndarray:
    """``x - softmax_shift(x)`` along ``axis``, a fresh array. ufunc calls, not np.max (a
    Python wrapper): these kernels run on every step of a classifier."""
    return np.asarray(np.subtract(x, _shift_kernel(x, axis)))


def log_softmax_kernel(x: np.ndarray, axis: int) -> np.ndarray:
    s = shifted(x, axis)
    lse = np.add.reduce(np.exp(s), axis, None, None, True)
    s -= np.log(lse, out=lse)
    return s


def _rule(name: str):
    def rule(x: Aval, axis=-1) -> Aval:
        require_float(name, x)
        normalize_axis(name, axis, len(x.shape))
        return x

    return rule


def _sums(a: np.ndarray, axis: int) -> np.ndarray:
    """Sums along ``axis`` (kept as a size-1 dim). NOTE: along a contiguous last axis as a
    matrix-vector product with ones: NumPy's reduction runs row by row there (111 against
    18 us on 16x4x64x64 float32 attention weights, docs/PERFORMANCE.md)."""
    if axis in (-1, a.ndim - 1) and a.flags.c_contiguous and a.dtype.kind == "f" and a.size:
        return (a @ np.ones(a.shape[-1], a.dtype))[..., None]
    return np.add.reduce(a, axis, None, None, True)


def _normalized_exp(e: np.ndarray, axis: int) -> np.ndarray:
    """``exp(e) / sum(exp(e))`` along ``axis``, in ``e`` (which holds ``x - max``)."""
    np.exp(e, out=e)
    e /= _sums(e, axis)
    return e


def softmax_inplace(s: np.ndarray, axis: int = -1) -> np.ndarray:
    """The softmax of a fresh array ``s`` (one no one else holds) along ``axis``, computed in
    ``s`` itself: no second buffer (`attention_weights_op`'s scores)."""
    s -= _shift_kernel(s, axis)
    return _normalized_exp(s, axis)


def softmax_grad_array(g: np.ndarray, out: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax's gradient on arrays, ``out * (g - sum(g * out))`` (the Jacobian is
    ``diag(out) - out out^T``), in one fresh array."""
    d = np.subtract(g, _sums(np.multiply(g, out), axis))
    d *= out
    return d


# --- fused_softmax: primitive ------------------------------------------------------------------
def _softmax_kernel(x, axis=-1):
    return _normalized_exp(shifted(x, axis), axis)


def _softmax_vjp(g, inputs, out, axis=-1):
    # The softmax Jacobian is diag(out) - out out^T: J^T g = out * (g - sum(g * out)).
    if on_arrays(g, (out,)) and g.shape == out.shape:  # the eager backward: NumPy, in place
        return (softmax_grad_array(g, out, axis),)
    return (mul(out, sub(g, reduce_sum(mul(g, out), axis=axis, keepdims=True))),)


def _axis_attr(attrs: dict, ndim: int) -> int:
    """The softmax axis (the ``shift_invariant`` facet's axis)."""
    return attrs.get("axis", -1)


fused_softmax = primitive(
    "fused_softmax", _softmax_kernel, _rule("fused_softmax"), _softmax_vjp, floating=True,
    fresh=True, shift_invariant=(0, _axis_attr), torch_name="SoftmaxBackward0",
    doc="fused_softmax(x, axis=-1): softmax as one kernel, exp(x - max) / sum(exp(x - max)).")


# --- fused_log_softmax: primitive --------------------------------------------------------------
def _log_softmax_kernel(x, axis=-1):
    return log_softmax_kernel(x, axis)


def _log_softmax_vjp(g, inputs, out, axis=-1):
    # d(x - lse)/dx^T g = g - softmax * sum(g): softmax is exp(out), no second logsumexp.
    return (sub(g, mul(exp(out), reduce_sum(g, axis=axis, keepdims=True))),)


fused_log_softmax = primitive(
    "fused_log_softmax", _log_softmax_kernel, _rule("fused_log_softmax"), _log_softmax_vjp,
    floating=True, fresh=True, shift_invariant=(0, _axis_attr),
    torch_name="LogSoftmaxBackward0",
    doc="fused_log_softmax(x, axis=-1): log_softmax as one kernel, "
        "(x - max) - log(sum(exp(x - max))).")

__all__ = ["softmax_shift", "fused_softmax", "fused_log_softmax"]
