"""Running log-sum-exp and running extremes along a dim: ``logcumsumexp`` (primitive, as
``torch.logcumsumexp``) and ``cumextreme_index`` (primitive without gradient: where the
running max or min of each prefix sits, for ``torch.cummax``/``torch.cummin``, whose values
are then a differentiable ``take_along_axis``).

``logcumsumexp`` accumulates with ``logaddexp`` (never ``exp`` of the raw input), so inputs
spread over thousands stay finite; its gradient is a reversed logcumsumexp of
``log|g| - out`` split by the sign of ``g``, so it never forms ``exp(-out)`` either.

PyTorch's tie rule: a running extreme moves to the latest of equal values (``>=``); once a
prefix holds a nan its extreme is nan, and its index that of the latest nan.

    >>> import numpy as np
    >>> logcumsumexp(np.array([0.0, 0.0, 1000.0]), dim=0).round(4).tolist()
    [0.0, 0.6931, 1000.0]
    >>> cumextreme_index(np.array([1.0, 3.0, 3.0, 2.0]), dim=0, largest=True).tolist()
    [0, 1, 2, 2]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..registry import primitive
from ._dims import dim_of
from ._rules import require_float
from .elementwise import add, mul, sub
from .elementwise_logic import gt, where
from .elementwise_math import exp, log
from .reorder import flip

# Where the logcumsumexp gradient puts entries of the other sign (see its rule).
_OUTSIDE = 1000.0


# --- logcumsumexp: primitive -------------------------------------------------------------------
def _logcumsumexp_kernel(x: np.ndarray, dim: int) -> np.ndarray:
    d = dim_of("logcumsumexp", dim, x.ndim)
    if x.ndim == 0:
        return x.copy()
    with np.errstate(invalid="ignore"):  # -inf + -inf is -inf, as PyTorch's
        return np.logaddexp.accumulate(x, axis=d)


def _logcumsumexp_rule(x: Aval, dim: int) -> Aval:
    dim_of("logcumsumexp", dim, x.ndim)
    require_float("logcumsumexp", x)
    return x


def _reversed_lcse(v, d: int):
    return flip(logcumsumexp(flip(v, dims=(d,)), dim=d), dims=(d,))


def _logcumsumexp_vjp(g, inputs, out, dim):
    # grad_i = sum_{j >= i} g_j exp(x_i - out_j): each sign of g as exp(x_i + a reversed
    # logcumsumexp of log|g_j| - out_j), which stays finite however far apart the inputs are.
    # Entries of the other sign are pushed 1000 below (exp(-1000) is 0 in float64) rather
    # than to -inf, so no inf - inf appears here or in this rule's own gradient.
    (x,) = inputs
    if len(x.shape) == 0:
        return (g,)
    d = dim_of("logcumsumexp", dim, len(x.shape))
    parts = []
    for sign in (1.0, -1.0):
        signed = g if sign > 0 else mul(g, -1.0)
        mask = gt(signed, 0.0)
        term = sub(sub(log(where(mask, signed, 1.0)), out), where(mask, 0.0, _OUTSIDE))
        parts.append(exp(add(x, _reversed_lcse(term, d))))
    return (sub(parts[0], parts[1]),)


logcumsumexp = primitive("logcumsumexp", _logcumsumexp_kernel, _logcumsumexp_rule,
                         _logcumsumexp_vjp, floating=True, fresh=True,
                         doc="log(cumsum(exp(x))) along ``dim``, without overflow.")


# --- cumextreme_index: primitive (no gradient) -------------------------------------------------
def _cumextreme_index_kernel(x: np.ndarray, dim: int, largest: bool) -> np.ndarray:
    d = dim_of("cumextreme_index", dim, x.ndim)
    if x.ndim == 0:
        return np.zeros((), np.int64)
    moved = np.moveaxis(x, d, 0)
    index = np.zeros(moved.shape, np.int64)
    if moved.shape[0] == 0:
        return np.moveaxis(index, 0, d)
    best = moved[0].copy()
    for i in range(1, moved.shape[0]):
        v = moved[i]
        # A nan entry takes over (the latest nan, as PyTorch's kernel); a number never
        # replaces a nan; ties move to the later entry.
        better = (v >= best) if largest else (v <= best)
        take = np.isnan(v) | (~np.isnan(best) & better)
        best = np.where(take, v, best)
        index[i] = np.where(take, i, index[i - 1])
    return np.moveaxis(index, 0, d)


def _cumextreme_index_rule(x: Aval, dim: int, largest: bool) -> Aval:
    dim_of("cumextreme_index", dim, x.ndim)
    return Aval(x.shape, np.dtype(np.int64))


cumextreme_index = primitive(
    "cumextreme_index", _cumextreme_index_kernel, _cumextreme_index_rule, None,
    differentiable_output=False, fresh=True,
    doc="The index of each prefix's running max (``largest``) or min along ``dim`` (the "
        "latest of ties; the latest nan once there is one), as torch.cummax/cummin.")

__all__ = ["logcumsumexp", "cumextreme_index"]
