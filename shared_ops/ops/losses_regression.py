"""The regression losses, as ``torch.nn.functional``: ``mse`` (alias ``mse_loss``),
``smooth_l1_loss`` and ``huber_loss``, and the reduction helpers every loss shares.

Each is a composite (``(input - target)^2`` and the rest, reduced), which a staged graph keeps
for the static compiler to fuse and ONNX to export. On eager values the three are one
`regression_loss` node, as PyTorch records MseLossBackward0 (SmoothL1LossBackward0,
HuberLossBackward0) with the inputs' nodes as its next functions.

    >>> import numpy as np
    >>> float(mse(np.array([1.0, 3.0]), np.array([0.0, 0.0])))
    5.0
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import REDUCTIONS, elementwise_loss, shape_of, shapes_agree
from .elementwise import div, mul, neg, sub
from .elementwise_logic import lt, where
from .elementwise_math import abs, sign  # noqa: A004
from .reductions import mean, numel
from .reductions import sum as reduce_sum


def check_reduction(op: str, reduction: str) -> None:
    """PyTorch's three reductions: ``"mean"``, ``"sum"`` or ``"none"``."""
    if reduction not in REDUCTIONS:
        raise OpValueError(op, f"reduction must be one of {REDUCTIONS}, got {reduction!r}")


def reduce_loss(loss, reduction: str):
    """Per-element ``loss`` reduced by ``reduction``."""
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return reduce_sum(loss)
    return loss


def same_shape(op: str, input_, target, note: str = "") -> None:
    """Refuse an input and a target of different shapes (PyTorch would broadcast some)."""
    a, b = shape_of(input_), shape_of(target)
    if not shapes_agree(a, b):
        raise ShapeError(op, f"input of shape {describe_shapes(a)} and target of shape "
                         f"{describe_shapes(b)} must have the same shape{note}", shapes=[a, b])


_loss_rule = elementwise_loss("regression_loss")


# --- regression_loss: primitive (the node eager values take) --------------------------------
_REGRESSION_NAMES = {"mse": "MseLossBackward0", "smooth_l1": "SmoothL1LossBackward0",
                     "huber": "HuberLossBackward0"}


def _regression_kernel(x, y, kind="mse", param=0.0, reduction="mean"):
    if x.shape != y.shape or reduction not in REDUCTIONS:  # the rule then says which, and how
        raise ValueError("regression_loss: bad shapes or reduction")
    d = np.asarray(np.subtract(x, y))
    if kind == "mse":
        loss = np.multiply(d, d, out=d)
    else:
        size = np.abs(d)
        # PyTorch's formulas, in its order of operations (0.5 d d / beta; delta (|d| - delta/2))
        square = 0.5 * d * d
        if kind == "smooth_l1":
            loss = np.where(size < param, square / param, size - 0.5 * param)
        else:
            loss = np.where(size < param, square, param * (size - 0.5 * param))
    if reduction == "none":
        return loss
    total = np.add.reduce(loss, axis=None)
    if reduction == "mean":
        total = total / loss.size if loss.size else np.nan  # an empty mean is nan, as torch's
    return np.asarray(total, dtype=x.dtype)


def _regression_rule(x: Aval, y: Aval, kind="mse", param=0.0, reduction="mean") -> Aval:
    if kind not in _REGRESSION_NAMES:
        raise OpValueError("regression_loss", f"kind must be one of {tuple(_REGRESSION_NAMES)}, "
                           f"got {kind!r}")
    return _loss_rule(x, y, reduction=reduction)


def _regression_vjp(g, inputs, out, kind="mse", param=0.0, reduction="mean"):
    x, y = inputs
    d = sub(x, y)
    if kind == "mse":
        slope = mul(d, 2.0)
    else:  # the quadratic part's slope inside |d| < param, the linear part's outside
        inside = lt(abs(d), param)
        slope = where(inside, div(d, param), sign(d)) if kind == "smooth_l1" else \
            where(inside, d, mul(sign(d), param))
    gx = mul(slope, div(g, numel(x)) if reduction == "mean" else g)
    return gx, neg(gx)


regression_loss = primitive(
    "regression_loss", _regression_kernel, _regression_rule, _regression_vjp,
    torch_name=lambda attrs, ndims, constants: _REGRESSION_NAMES[attrs.get("kind", "mse")],
    doc="mse (``kind='mse'``), smooth L1 (``param`` = beta) or Huber (``param`` = delta) loss "
        "of same-shaped float input and target, reduced: the one node eager records for "
        "`mse`, `smooth_l1_loss`, `huber_loss`.")


def _fits_regression(input, target, reduction) -> bool:  # noqa: A002
    """Does the one kernel cover this call: same-shaped inputs of one floating dtype and a
    known reduction? (Else the decomposition promotes, or raises its own error.)"""
    dtype = getattr(input, "dtype", None)
    return dtype is not None and getattr(dtype, "kind", None) == "f" and \
        getattr(target, "dtype", None) == dtype and reduction in REDUCTIONS and \
        tuple(shape_of(input)) == tuple(shape_of(target))


# --- mse, smooth_l1_loss, huber_loss: composites --------------------------------------------
def _mse_now(input, target, reduction: str = "mean"):  # noqa: A002
    if not _fits_regression(input, target, reduction):
        return NotImplemented
    return regression_loss(input, target, kind="mse", reduction=reduction)


def _mse(input, target, reduction: str = "mean"):  # noqa: A002 -- torch's own name
    """Mean squared error ``(input - target)^2``, reduced.

    Unlike PyTorch, which broadcasts a (N, 1) input against an (N,) target to (N, N) with only
    a warning (a classic silent bug), mismatched shapes raise ShapeError.
    """
    check_reduction("mse", reduction)
    same_shape("mse", input, target)
    d = sub(input, target)
    return reduce_loss(mul(d, d), reduction)


mse = composite(_mse, name="mse", torch_name="MseLossBackward0", immediate=_mse_now)
mse_loss = composite(_mse, name="mse_loss", torch_name="MseLossBackward0", immediate=_mse_now)


def _smooth_l1_now(input, target, reduction: str = "mean", beta: float = 1.0):  # noqa: A002
    if not beta > 0 or not _fits_regression(input, target, reduction):
        return NotImplemented  # (beta 0 is the L1 loss, as torch's)
    return regression_loss(input, target, kind="smooth_l1", param=float(beta),
                           reduction=reduction)


@composite(immediate=_smooth_l1_now, torch_name="SmoothL1LossBackward0")
def smooth_l1_loss(input, target, reduction: str = "mean", beta: float = 1.0):  # noqa: A002
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta`` (L1 when beta is 0),
    d = input - target, reduced."""
    check_reduction("smooth_l1_loss", reduction)
    d = sub(input, target)
    size = abs(d)
    if beta == 0:
        return reduce_loss(size, reduction)
    square = mul(mul(d, d), 0.5)
    return reduce_loss(where(lt(size, beta), div(square, beta), sub(size, 0.5 * beta)), reduction)


def _huber_now(input, target, reduction: str = "mean", delta: float = 1.0):  # noqa: A002
    if not _fits_regression(input, target, reduction):
        return NotImplemented
    return regression_loss(input, target, kind="huber", param=float(delta),
                           reduction=reduction)


@composite(immediate=_huber_now, torch_name="HuberLossBackward0")
def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0):  # noqa: A002
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``, d = input -
    target, reduced."""
    check_reduction("huber_loss", reduction)
    d = sub(input, target)
    size = abs(d)
    square = mul(mul(d, d), 0.5)
    return reduce_loss(where(lt(size, delta), square, mul(sub(size, 0.5 * delta), delta)),
                   reduction)


__all__ = ["check_reduction", "huber_loss", "mse", "mse_loss", "reduce_loss", "regression_loss",
           "same_shape", "smooth_l1_loss"]
