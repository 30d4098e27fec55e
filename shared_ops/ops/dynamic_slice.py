"""Slices whose bounds are sizes known only when the graph runs: ``mask[:, :, :T, :T]`` with
``T = idx.size(1)`` in a forward traced with an unknown sequence length.

`getitem` sends a key of plain slices with such a bound here. The bounds become size
expressions (`runtime_shape`'s language: ``("dim", j, axis)`` reads a dim of input j, 0 being
x itself, the others shape sources), one ``(axis, start, stop, step)`` per sliced axis, None
where the slice leaves a bound out:

    x[:, :T]  ->  slice_dims(x, idx, bounds=((1, None, ("dim", 1, 1), None),))

``slice_dims`` is the view; its gradient ``slice_dims_grad`` writes the incoming gradient into
zeros of x's shape at the same slices (and is linear, its own gradient a ``slice_dims``).
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axis
from ..errors import OpValueError
from ..registry import primitive
from ..tensor_api_core import is_dynamic, size_template
from .runtime_shape import MAX_SOURCES, check_expr, eval_size


def has_dynamic_bound(items: tuple) -> bool:
    """Whether a key's items hold a slice with a bound known only at run time."""
    return any(isinstance(it, slice) and any(map(is_dynamic, (it.start, it.stop, it.step)))
               for it in items)


def slice_with_sizes(x, items: tuple):
    """``x[items]`` for a key of plain slices some of whose bounds are dynamic sizes."""
    if not all(isinstance(it, slice) for it in items):
        raise OpValueError("getitem", "a slice bound known only when the graph runs (a graph "
                           "value's size) works in a key of slices only, e.g. x[:, :T]; "
                           f"got {items!r:.80}")
    values = [v for it in items for v in (it.start, it.stop, it.step) if v is not None]
    template, sources = size_template(x, values, "getitem")
    entries = iter(template)
    bounds = tuple(
        (axis, *(None if v is None else next(entries) for v in (it.start, it.stop, it.step)))
        for axis, it in enumerate(items)
        # `is not None`, never ==: a dynamic size compares as a graph value
        if any(v is not None for v in (it.start, it.stop, it.step)))
    return slice_dims(x, *sources, bounds=bounds)


def _slices(bounds, shapes) -> tuple:
    out = [slice(None)] * len(shapes[0])
    for axis, *ends in bounds:
        out[axis] = slice(*(None if e is None else eval_size(e, shapes) for e in ends))
    return tuple(out)


def _check_bounds(op: str, bounds, ndim: int, n_inputs: int) -> None:
    """Refuse malformed bounds, naming the op (a loaded graph may hold anything)."""
    if not isinstance(bounds, tuple) or not all(
            isinstance(b, tuple) and len(b) == 4 and type(b[0]) is int for b in bounds):
        raise OpValueError(op, f"bounds must be (axis, start, stop, step) tuples, got "
                           f"{bounds!r:.80}")
    for axis, *ends in bounds:
        normalize_axis(op, axis, ndim)
        for e in ends:
            if e is not None:
                check_expr(op, e, n_inputs)


def _sliced_shape(op: str, shape, bounds, shapes) -> tuple:
    out = list(shape)
    for axis, *ends in bounds:
        start, stop, step = (None if e is None else eval_size(e, shapes) for e in ends)
        if step == 0:
            raise OpValueError(op, "slice step cannot be zero")
        known = all(e is None or v is not None for e, v in zip(ends, (start, stop, step),
                                                               strict=True))
        d = shape[axis]
        out[axis] = (len(range(*slice(start, stop, step).indices(d)))
                     if known and d is not None else None)
    return tuple(out)


# --- slice_dims: primitive ---------------------------------------------------------------------
def _slice_dims_kernel(x, *sources, bounds):
    return x[_slices(bounds, [x.shape] + [s.shape for s in sources])]


def _slice_dims_rule(x: Aval, *sources: Aval, bounds) -> Aval:
    _check_bounds("slice_dims", bounds, x.ndim, 1 + len(sources))
    shapes = [x.shape] + [s.shape for s in sources]
    return Aval(_sliced_shape("slice_dims", x.shape, bounds, shapes), x.dtype)


def _slice_dims_vjp(g, inputs, out, bounds):
    return (slice_dims_grad(g, *inputs, bounds=bounds),) + (None,) * (len(inputs) - 1)


slice_dims = primitive(
    "slice_dims", _slice_dims_kernel, _slice_dims_rule, _slice_dims_vjp,
    nondiff_inputs=tuple(range(1, 1 + MAX_SOURCES)), view=True, linear_in=(0,),
    torch_name="SliceBackward0",
    doc="x sliced along some axes with bounds that are size expressions (a view).")


# --- slice_dims_grad: primitive ----------------------------------------------------------------
def _slice_dims_grad_kernel(g, x, *sources, bounds):
    out = np.zeros(x.shape, g.dtype)
    out[_slices(bounds, [x.shape] + [s.shape for s in sources])] = g
    return out


def _slice_dims_grad_rule(g: Aval, x: Aval, *sources: Aval, bounds) -> Aval:
    _check_bounds("slice_dims_grad", bounds, x.ndim, 1 + len(sources))
    return Aval(x.shape, g.dtype)


def _slice_dims_grad_vjp(gg, inputs, out, bounds):
    # The template reads x's dims as input 0; gg has x's shape, so it stands in for x.
    return (slice_dims(gg, *inputs[2:], bounds=bounds),) + (None,) * (len(inputs) - 1)


slice_dims_grad = primitive(
    "slice_dims_grad", _slice_dims_grad_kernel, _slice_dims_grad_rule, _slice_dims_grad_vjp,
    nondiff_inputs=tuple(range(1, 2 + MAX_SOURCES)), fresh=True, linear_in=(0,),
    doc="Zeros of x's shape with g written at slice_dims' slices (slice_dims' gradient).")

__all__ = ["slice_dims", "slice_dims_grad", "has_dynamic_bound", "slice_with_sizes"]
