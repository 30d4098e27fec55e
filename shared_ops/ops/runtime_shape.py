"""Shapes computed at run time: ``dim_size``, ``reshape_dims``, ``broadcast_dims`` and
``arange_dims``.

A static graph traced with an unknown batch still has to say ``x.view(B, T, nh, hs)`` or
``cls.expand(B, -1, -1)``, where ``B`` is the batch size of *some* value of the graph. These
ops take their target shape as a *size template*: one entry per output dim, each an int, -1
(reshape: inferred) or a size expression over the dims of the op's inputs::

    ("dim", j, k)                           the size of axis k of input j (0: x itself)
    ("add" | "sub" | "mul" | "floordiv" | "mod", a, b), ("neg", a)   a, b: expressions or ints

so the shape rule evaluates the template on the input avals: while building, a dim of an
unknown batch is None, but the compiler's plan for concrete feeds computes every dim (and
plans buffers for what follows). Inputs after x are *shape sources*: only their shapes are
read, like the ``like`` input of `reshape`. A reshape whose sizes are x's own dims infers its
-1 while building when the unknown dims cancel: ``x.view(x.size(0), -1)`` on ``f32[?,64,7,7]``
is ``f32[?,3136]``.

``dim_size(x, axis)`` is one dim as a 0-d int64 value, for sizes used as numbers
(``x / x.size(-1)``). ``arange_dims(*sources, start=, end=, step=, dtype=)`` is
``arange(start, end, step)`` whose bounds may be size expressions over its sources' dims
(``torch.arange(0, T)`` in a forward traced with an unknown sequence length ``T``).

    >>> import numpy as np
    >>> reshape_dims(np.zeros((2, 3, 4)), dims=(("dim", 0, 0), -1)).shape
    (2, 12)
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, normalize_axis
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import broadcasts_to, retargeted
from .shape import reshape, sum_to

_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
           "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b}
# Shape sources beyond x: far more than any real template names.
MAX_SOURCES = 32


# --- size expressions --------------------------------------------------------------------------
def check_expr(op: str, expr, n_inputs: int) -> None:
    """Refuse a malformed template entry, naming the op (a loaded graph may hold anything)."""
    if isinstance(expr, int) and not isinstance(expr, bool):
        return
    ok = isinstance(expr, tuple) and expr and (
        (expr[0] == "dim" and len(expr) == 3 and all(type(v) is int for v in expr[1:])
         and 0 <= expr[1] < n_inputs)
        or (expr[0] in _BINARY and len(expr) == 3) or (expr[0] == "neg" and len(expr) == 2))
    if not ok:
        raise OpValueError(op, f"bad size expression {expr!r:.80} (an int, ('dim', input, "
                           f"axis) with input < {n_inputs}, or an arithmetic tuple)")
    if expr[0] != "dim":
        for e in expr[1:]:
            check_expr(op, e, n_inputs)


def eval_size(expr, shapes) -> int | None:
    """The value of a size expression for input ``shapes`` (None: some dim is unknown)."""
    if isinstance(expr, int):
        return expr
    tag = expr[0]
    if tag == "dim":
        shape = shapes[expr[1]]
        return shape[normalize_axis("size", expr[2], len(shape))]
    if tag == "neg":
        v = eval_size(expr[1], shapes)
        return None if v is None else -v
    a, b = eval_size(expr[1], shapes), eval_size(expr[2], shapes)
    if a is None or b is None:
        return None
    if tag in ("floordiv", "mod") and b == 0:
        raise OpValueError("size", f"division by zero in the size expression {expr!r:.80}")
    return _BINARY[tag](a, b)


def _monomial(expr, shapes) -> tuple[int, Counter] | None:
    """``expr`` as ``coefficient * product of unknown dims`` (symbols ``(input, axis)``), or
    None when it is not such a product (a sum or quotient involving an unknown dim)."""
    if isinstance(expr, int):
        return expr, Counter()
    if expr[0] == "dim":
        shape = shapes[expr[1]]
        axis = normalize_axis("size", expr[2], len(shape))
        d = shape[axis]
        return (d, Counter()) if d is not None else (1, Counter({(expr[1], axis): 1}))
    if expr[0] == "mul":
        a, b = _monomial(expr[1], shapes), _monomial(expr[2], shapes)
        if a is None or b is None:
            return None
        return a[0] * b[0], a[1] + b[1]
    v = eval_size(expr, shapes)
    return None if v is None else (v, Counter())


def _check_template(op: str, dims, n_inputs: int, allow_infer: bool) -> None:
    if not isinstance(dims, tuple):
        raise OpValueError(op, f"dims must be a tuple of sizes, got {dims!r:.80}")
    for e in dims:
        check_expr(op, e, n_inputs)
        if isinstance(e, int) and e < (-1 if allow_infer else 0):
            raise OpValueError(op, f"size {e} in {dims!r:.80}: sizes are >= 0"
                               + (" (or one -1, inferred)" if allow_infer else ""))
    if sum(1 for e in dims if e == -1) > 1:
        raise OpValueError(op, f"at most one -1 in {dims!r:.80}")


def _evaluated(op: str, dims, shapes) -> list:
    out = []
    for e in dims:
        v = eval_size(e, shapes)
        if v is not None and v < 0 and e != -1:
            raise ShapeError(op, f"size expression {e!r:.60} is {v}, a negative size")
        out.append(v)
    return out


def _concrete_shape(op: str, dims, arrays) -> tuple:
    return tuple(_evaluated(op, dims, [a.shape for a in arrays]))


# --- dim_size: primitive -----------------------------------------------------------------------
def _dim_size_kernel(x, axis):
    return np.array(x.shape[axis], dt.int64)


def _dim_size_rule(x: Aval, axis) -> Aval:
    normalize_axis("dim_size", axis, x.ndim)
    return Aval((), dt.int64)


dim_size = primitive("dim_size", _dim_size_kernel, _dim_size_rule, None,
                     differentiable_output=False, fresh=True, shape_only=True,
                     doc="The size of ``axis`` of x, as a 0-d int64 value (``x.size(axis)``).")


# --- reshape_dims: primitive -------------------------------------------------------------------
def _reshape_dims_kernel(x, *sources, dims):
    return x.reshape(_concrete_shape("reshape_dims", dims, (x, *sources)))


def _product(terms) -> tuple[int, Counter] | None:
    """The monomial of a product of size expressions (None: one is not a monomial)."""
    coef, syms = 1, Counter()
    for term in terms:
        if term is None:
            return None
        coef, syms = coef * term[0], syms + term[1]
    return coef, syms


def _reshape_dims_rule(x: Aval, *sources: Aval, dims) -> Aval:
    _check_template("reshape_dims", dims, 1 + len(sources), allow_infer=True)
    shapes = [x.shape] + [s.shape for s in sources]
    out = _evaluated("reshape_dims", dims, shapes)
    # x's size and the target's, each as coefficient * unknown dims: the unknown dims of x
    # that the target names (x.size(0)) cancel, so -1 is often known while building.
    have = _product(_monomial(("dim", 0, axis), shapes) for axis in range(x.ndim))
    want = _product(_monomial(e, shapes) for e in dims if e != -1)
    comparable = want is not None and have[1] == want[1]
    if -1 in dims:
        at = dims.index(-1)
        out[at] = None
        if comparable and want[0] and have[0] % want[0] == 0:
            out[at] = have[0] // want[0]
        elif comparable:
            raise ShapeError("reshape_dims", f"cannot reshape {describe_shapes(x.shape)} into "
                             f"{_describe(dims, out)}: the sizes do not divide",
                             shapes=[x.shape])
    elif comparable and have[0] != want[0]:
        raise ShapeError("reshape_dims", f"cannot reshape {describe_shapes(x.shape)} into "
                         f"{_describe(dims, out)}: the sizes disagree ({have[0]} vs {want[0]}"
                         f"{' times the unknown dims' if have[1] else ''})", shapes=[x.shape])
    return Aval(tuple(out), x.dtype)


def _describe(dims, out) -> str:
    return "(" + ", ".join("-1" if e == -1 else "?" if d is None else str(d)
                           for e, d in zip(dims, out, strict=True)) + ")"


def _template_vjp(adjoint):
    """The gradient rule of a size-template view: ``adjoint(g, x)`` back to x's shape for x,
    none for the shape sources."""

    def vjp(g, inputs, out, dims):
        return (adjoint(g, inputs[0]),) + (None,) * (len(inputs) - 1)

    return vjp


# reshape_dims and broadcast_dims: views of x whose other inputs only lend their sizes.
_TEMPLATE_VIEW = {"nondiff_inputs": tuple(range(1, 1 + MAX_SOURCES)), "view": True,
                  "linear_in": (0,)}

reshape_dims = primitive(
    "reshape_dims", _reshape_dims_kernel, _reshape_dims_rule, _template_vjp(reshape),
    **_TEMPLATE_VIEW,
    doc="x reshaped to a size template (ints, one -1, expressions over the inputs' dims).")


# --- broadcast_dims: primitive -----------------------------------------------------------------
def _broadcast_dims_kernel(x, *sources, dims):
    return np.broadcast_to(x, _concrete_shape("broadcast_dims", dims, (x, *sources)))


def _broadcast_dims_rule(x: Aval, *sources: Aval, dims) -> Aval:
    _check_template("broadcast_dims", dims, 1 + len(sources), allow_infer=False)
    out = _evaluated("broadcast_dims", dims, [x.shape] + [s.shape for s in sources])
    return retargeted("broadcast_dims", "broadcast", x, out, broadcasts_to(x.shape, out))


broadcast_dims = primitive(
    "broadcast_dims", _broadcast_dims_kernel, _broadcast_dims_rule, _template_vjp(sum_to),
    **_TEMPLATE_VIEW,
    doc="x broadcast to a size template (ints, expressions over the inputs' dims), a view.")

# --- arange_dims: primitive --------------------------------------------------------------------
def _arange_bounds(start, end, step, shapes) -> tuple:
    return tuple(eval_size(e, shapes) for e in (start, end, step))


def _arange_dims_kernel(*sources, start, end, step, dtype):
    lo, hi, by = _arange_bounds(start, end, step, [s.shape for s in sources])
    return np.arange(lo, hi, by, dtype=dtype)


def _arange_dims_rule(*sources: Aval, start, end, step, dtype) -> Aval:
    if not sources:
        raise OpValueError("arange_dims", "needs at least one shape source (use arange)")
    for e in (start, end, step):
        check_expr("arange_dims", e, len(sources))
    lo, hi, by = _arange_bounds(start, end, step, [s.shape for s in sources])
    if by == 0:
        raise OpValueError("arange_dims", "step must be nonzero")
    n = None if None in (lo, hi, by) else max(0, -(-(hi - lo) // by))
    return Aval((n,), dt.as_dtype(dtype))


arange_dims = primitive(
    "arange_dims", _arange_dims_kernel, _arange_dims_rule, None,
    differentiable_output=False, fresh=True, shape_only=True,
    doc="arange(start, end, step) with bounds that are size expressions over the sources' "
        "dims (0-based: ('dim', j, axis) reads input j).")

__all__ = ["dim_size", "reshape_dims", "broadcast_dims", "arange_dims", "eval_size",
           "check_expr"]
