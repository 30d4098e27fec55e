"""Shape rules and helpers shared by many ops.

A shape rule takes avals (shape + dtype, dims may be ``None``) and attrs, checks them, and
returns the output aval, raising the project's errors with the op name and the shapes.
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError, ShapeError, describe_shapes

REDUCTIONS = ("mean", "sum", "none")


def same_as_input(x: Aval, **_) -> Aval:
    """Unary ops whose output looks exactly like their input (neg, relu, abs...)."""
    return x


def floating_unary(name: str):
    """Unary float math (exp, log, tanh...): the dispatcher already made the input float."""

    def rule(x: Aval, **_) -> Aval:
        require_float(name, x)
        return x

    return rule


def broadcast_binary(name: str, *, out_dtype=None):
    """Binary elementwise ops: NumPy broadcasting; dtypes were promoted by the dispatcher."""

    def rule(*avals: Aval, **_) -> Aval:
        shape = broadcast_shapes(name, *(a.shape for a in avals))
        return Aval(shape, out_dtype if out_dtype is not None else avals[0].dtype)

    return rule


def require_float(name: str, *avals: Aval) -> None:
    for a in avals:
        # complex values reach only the ops that take them (shared_ops/complex_support.py)
        if a.dtype.kind not in "fc":
            raise DTypeError(name, f"expected a floating-point input, got {a.dtype}",
                             shapes=[a.shape], dtypes=[a.dtype])


def shape_of(x) -> tuple:
    """The (possibly partly unknown) shape of an array, Tensor or Node, as a tuple."""
    return tuple(x.shape)


def shapes_agree(a: tuple, b: tuple) -> bool:
    """Same rank and equal dims wherever both are known (None matches anything)."""
    return len(a) == len(b) and all(x is None or y is None or x == y
                                    for x, y in zip(a, b, strict=True))


def broadcasts_to(small, big) -> bool:
    """Whether ``small`` broadcasts to ``big`` (NumPy's rule), an unknown (None) size matching
    anything. ``sum_to`` checks it from the reduced side, ``broadcast_to`` and ``broadcast_dims``
    from the small one."""
    lead = len(big) - len(small)
    return lead >= 0 and all(
        s in (1, None) or b in (s, None) for s, b in zip(small, big[lead:], strict=True))


def retargeted(name: str, verb: str, x: Aval, shape: tuple, fits: bool) -> Aval:
    """``x``'s dtype with the target ``shape`` when it ``fits``, else the ShapeError of the
    shape-taking ops: ``sum_to: cannot reduce shape (3, 4) to (5,)``."""
    if not fits:
        raise ShapeError(name, f"cannot {verb} shape {describe_shapes(x.shape)} to "
                         f"{describe_shapes(tuple(shape))}", shapes=[x.shape, tuple(shape)])
    return Aval(tuple(shape), x.dtype)


def target_shape(like: tuple, shape) -> tuple:
    """Shape-taking ops (sum_to, broadcast_to, reshape) get their target either as the
    ``shape=`` attr or, when a dim is only known at run time, from a ``like`` input's shape."""
    return tuple(like[0].shape) if like else tuple(shape)


def elementwise_loss(name: str):
    """Rule of a loss of two same-shaped float inputs (prediction, target) with a
    ``reduction`` attr: a scalar, or the input's shape for ``"none"``."""

    def rule(x: Aval, y: Aval, reduction="mean") -> Aval:
        require_float(name, x, y)
        if reduction not in REDUCTIONS:
            raise ShapeError(name, f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
        if len(x.shape) != len(y.shape) or any(a is not None and b is not None and a != b
                                               for a, b in zip(x.shape, y.shape, strict=True)):
            raise ShapeError(name, f"input of shape {describe_shapes(x.shape)} and target of "
                             f"shape {describe_shapes(y.shape)} must have the same shape",
                             shapes=[x.shape, y.shape])
        if x.dtype != y.dtype:
            raise DTypeError(name, f"input {x.dtype} and target {y.dtype} differ",
                             dtypes=[x.dtype, y.dtype])
        return Aval((), x.dtype) if reduction != "none" else x

    return rule


# --- kernels' helpers -------------------------------------------------------------------------
def mean_scale(g, n: int) -> np.ndarray:
    """``g / n`` for a 0-d ``g``, as NumPy computes it (a 0-d array, integers made float64):
    the scale of a "mean" loss's gradient. NOTE: through a Python float, 0.5 us, where
    NumPy's ufunc on a 0-d array and a Python int takes 1.4 us; the value is the same (one
    correctly rounded division)."""
    dtype = g.dtype if g.dtype.kind == "f" else np.float64
    return np.array(float(g) / max(n, 1), dtype)  # n = 0: the scale multiplies nothing
