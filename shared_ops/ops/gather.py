"""Gathering along an axis and one-hot codes: take_along_axis and scatter_add (primitives,
each the other's gradient), one_hot (primitive, no gradient).

``take_along_axis(x, idx, axis)`` is ``np.take_along_axis`` (``torch.gather``): picks, along
``axis``, the positions ``idx`` names; ``nll_loss`` uses it to pick each row's class score.
``scatter_add(base, idx, values, axis)`` is its adjoint: ``base`` with ``values`` added at
those positions, repeats accumulating (``torch.scatter_add``).

    >>> import numpy as np
    >>> take_along_axis(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1], [0]]), axis=1)
    array([[2.],
           [3.]])
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, broadcast_shapes, normalize_axis
from ..errors import DTypeError, OpIndexError, OpValueError, ShapeError, describe_shapes
from ..registry import primitive
from .elementwise import unbroadcast
from .fill import zeros_like


def _along(idx: np.ndarray, shape: tuple, axis: int) -> tuple:
    """The NumPy fancy index equivalent to ``take_along_axis``'s: ``idx`` on ``axis``, a
    broadcastable arange on every other axis."""
    nd = len(shape)
    return tuple(idx if i == axis else
                 np.arange(n).reshape((1,) * i + (n,) + (1,) * (nd - i - 1))
                 for i, n in enumerate(shape))


def _along_shape(op: str, x: Aval, idx: Aval, axis: int) -> tuple:
    if idx.dtype.kind not in "iu":
        raise DTypeError(op, f"indices must be integers, got {idx.dtype}",
                         shapes=[x.shape, idx.shape], dtypes=[idx.dtype])
    if idx.ndim != x.ndim:
        raise ShapeError(op, f"indices {describe_shapes(idx.shape)} need as many dims as the "
                         f"input {describe_shapes(x.shape)}", shapes=[x.shape, idx.shape])
    axis = normalize_axis(op, axis, x.ndim)
    other = tuple(1 if i == axis else d for i, d in enumerate(x.shape))
    out = list(broadcast_shapes(op, other, idx.shape))
    out[axis] = idx.shape[axis]
    return tuple(out)


# --- take_along_axis: primitive ----------------------------------------------------------------
def _take_kernel(x, idx, axis):
    return x[_along(idx, x.shape, axis % x.ndim)]


def _take_rule(x: Aval, idx: Aval, axis) -> Aval:
    return Aval(_along_shape("take_along_axis", x, idx, axis), x.dtype)


def _take_vjp(g, inputs, out, axis):
    x, idx = inputs
    return scatter_add(zeros_like(x), idx, g, axis=axis), None


take_along_axis = primitive("take_along_axis", _take_kernel, _take_rule, _take_vjp,
                            nondiff_inputs=(1,),
                            doc="x's values at positions ``idx`` along ``axis`` (torch.gather).")


# --- scatter_add: primitive --------------------------------------------------------------------
def _scatter_kernel(base, idx, values, axis):
    out = base.copy()
    np.add.at(out, _along(idx, base.shape, axis % base.ndim), values)
    return out


def _scatter_rule(base: Aval, idx: Aval, values: Aval, axis) -> Aval:
    target = _along_shape("scatter_add", base, idx, axis)
    got = broadcast_shapes("scatter_add", values.shape, target)
    if len(got) != len(target) or any(a is not None and b is not None and a != b
                                      for a, b in zip(got, target, strict=True)):
        raise ShapeError("scatter_add", f"values {describe_shapes(values.shape)} do not fit the "
                         f"indexed shape {describe_shapes(target)}",
                         shapes=[base.shape, idx.shape, values.shape])
    return base


def _scatter_vjp(g, inputs, out, axis):
    base, idx, values = inputs
    return g, None, unbroadcast(take_along_axis(g, idx, axis=axis), values)


scatter_add = primitive("scatter_add", _scatter_kernel, _scatter_rule, _scatter_vjp,
                        nondiff_inputs=(1,), promote=(0, 2),
                        doc="``base`` with ``values`` added at positions ``idx`` along "
                            "``axis``, repeats accumulating (torch.scatter_add).")


# --- one_hot: primitive, no gradient -----------------------------------------------------------
def _one_hot_kernel(idx, num_classes, dtype=dt.float32):
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise OpIndexError("one_hot", f"class index {bad} is out of range for "
                           f"num_classes={num_classes}", shapes=[idx.shape])
    out = np.zeros(idx.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return out


def _one_hot_rule(idx: Aval, num_classes, dtype=dt.float32) -> Aval:
    if idx.dtype.kind not in "iu":
        raise DTypeError("one_hot", f"class indices must be integers, got {idx.dtype}",
                         shapes=[idx.shape], dtypes=[idx.dtype])
    if not isinstance(num_classes, int | np.integer) or num_classes < 1:
        raise OpValueError("one_hot", f"num_classes must be a positive int, got {num_classes!r}")
    dtype = np.dtype(dtype)
    dt.check_supported(dtype, op="one_hot")
    return Aval(idx.shape + (int(num_classes),), dtype)


one_hot = primitive("one_hot", _one_hot_kernel, _one_hot_rule, None,
                    differentiable_output=False,
                    doc="``idx`` as one-hot rows of ``num_classes`` entries (float32 default).")

__all__ = ["take_along_axis", "scatter_add", "one_hot"]
