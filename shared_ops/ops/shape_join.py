"""Joining, splitting and padding: concat, stack (variadic primitives), split (composite over
slicing, returns a list), pad (primitive, constant mode), concat_part (concat's gradient).

Gradients slice the output gradient back into pieces: with ``index`` where the sizes are
attrs, with ``concat_part`` for concat, whose parts may have sizes known only at run time.

``pad`` takes NumPy-style widths, one ``(before, after)`` pair per dim, outermost first:
``pad(x, pad_width=((0, 0), (1, 2)))`` adds one column before and two after. (PyTorch's ``F.pad``
lists flat pairs starting from the *last* dim; we follow NumPy because its form is explicit
about every dim.) A single pair ``(1, 2)`` or int ``1`` applies to every dim, as in NumPy.

    >>> import numpy as np
    >>> concat([np.zeros((1, 2)), np.ones((1, 2))], axis=0)
    array([[0., 0.],
           [1., 1.]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axis
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import shape_of
from ._types import Value
from .fill import zeros_like
from .indexing import index

_ALL = ("slice", None, None, None)
# concat_part's inputs after the gradient are the concatenated parts: none differentiable.
_MAX_PARTS = 256


def _slice_along(g, axis: int, start, stop):
    return index(g, key=(_ALL,) * axis + (("slice", start, stop, None),))


def _same_shape(a: Aval, b: Aval, except_axis: int | None = None) -> bool:
    """Whether two parts can be joined: equal rank and equal sizes (but along ``except_axis``),
    an unknown (None) size agreeing with any."""
    return a.ndim == b.ndim and all(
        i == except_axis or p is None or q is None or p == q
        for i, (p, q) in enumerate(zip(a.shape, b.shape, strict=True)))


def _first_part(name: str, avals: tuple[Aval, ...]) -> Aval:
    """The first input of the variadic ``name``; an error naming it when there is none."""
    if not avals:
        raise OpValueError(name, "needs at least one input")
    return avals[0]


def _check_joinable(name: str, avals: tuple[Aval, ...], except_axis: int | None,
                    expectation: str) -> None:
    """Every part shaped like the first (but along ``except_axis``), else a ShapeError that
    lists the shapes and the ``expectation`` they fail."""
    shapes = [a.shape for a in avals]
    for a in avals[1:]:
        if not _same_shape(avals[0], a, except_axis=except_axis):
            raise ShapeError(name, f"shapes {describe_shapes(*shapes)} {expectation}",
                             shapes=shapes)


# --- concat: variadic primitive ----------------------------------------------------------------
def _concat_kernel(*arrays, axis=0):
    return np.concatenate(arrays, axis=axis)


def _concat_rule(*avals: Aval, axis=0) -> Aval:
    first = _first_part("concat", avals)
    if first.ndim == 0:  # NumPy refuses too; normalize_axis would accept axis 0 of a 0-d input
        raise ShapeError("concat", "cannot concatenate 0-d inputs (use stack)",
                         shapes=[a.shape for a in avals])
    ax = normalize_axis("concat", axis, first.ndim)
    _check_joinable("concat", avals, ax, f"differ outside axis {axis}")
    sizes = [a.shape[ax] for a in avals]
    total = None if None in sizes else sum(sizes)  # (int arithmetic: a planned size stays one)
    # Where one input leaves a dim unknown and another knows it, the known size wins.
    out = [next((a.shape[i] for a in avals if a.shape[i] is not None), None)
           for i in range(first.ndim)]
    out[ax] = total
    return Aval(tuple(out), first.dtype)


def _concat_vjp(g, inputs, out, axis=0):
    return tuple(concat_part(g, *inputs, index=k, axis=axis) for k in range(len(inputs)))


concat = primitive("concat", _concat_kernel, _concat_rule, _concat_vjp, variadic=True,
                   promote=True, linear_in="all", torch_name="CatBackward0",
                   doc="A list of arrays joined along an existing ``axis``.")


# --- concat_part: primitive (concat's gradient; the parts give their sizes at run time) ------
def _part_bounds(parts_shapes, index: int, axis: int) -> tuple[int, int]:
    start = 0
    for shape in parts_shapes[:index]:
        start += shape[axis]
    return start, start + parts_shapes[index][axis]


def _concat_part_kernel(g, *parts, index, axis=0):
    ax = axis % g.ndim
    start, stop = _part_bounds([p.shape for p in parts], index, ax)
    return g[(slice(None),) * ax + (slice(start, stop),)]


def _concat_part_rule(g: Aval, *parts: Aval, index, axis=0) -> Aval:
    whole = _concat_rule(*parts, axis=axis)
    if g.ndim != whole.ndim or any(a is not None and b is not None and a != b
                                   for a, b in zip(g.shape, whole.shape, strict=True)):
        raise ShapeError("concat_part", f"gradient {describe_shapes(g.shape)} does not match "
                         f"the concatenation {describe_shapes(whole.shape)}",
                         shapes=[g.shape, whole.shape])
    ax = normalize_axis("concat_part", axis, g.ndim)
    mine = parts[index].shape
    return Aval(tuple(mine[i] if i == ax or d is None else d for i, d in enumerate(g.shape)),
                g.dtype)


def _concat_part_vjp(g, inputs, out, index, axis=0):
    parts = inputs[1:]
    # The adjoint of taking one part: put it back among zeros the size of the others.
    whole = concat([g if k == index else zeros_like(p) for k, p in enumerate(parts)],
                   axis=axis)
    return (whole,) + (None,) * len(parts)


concat_part = primitive(
    "concat_part", _concat_part_kernel, _concat_part_rule, _concat_part_vjp,
    nondiff_inputs=tuple(range(1, 1 + _MAX_PARTS)),
    doc="The piece of a concatenation's gradient ``g`` that belongs to ``parts[index]``; "
        "the parts' runtime shapes give the offsets, so unknown (None) sizes work.")


# --- stack: variadic primitive -----------------------------------------------------------------
def _stack_kernel(*arrays, axis=0):
    return np.stack(arrays, axis=axis)


def _stack_rule(*avals: Aval, axis=0) -> Aval:
    first = _first_part("stack", avals)
    _check_joinable("stack", avals, None, "must all be equal")
    ax = normalize_axis("stack", axis, first.ndim + 1)
    return Aval(first.shape[:ax] + (len(avals),) + first.shape[ax:], first.dtype)


def _stack_vjp(g, inputs, out, axis=0):
    ax = normalize_axis("stack", axis, len(shape_of(inputs[0])) + 1)
    return tuple(index(g, key=(_ALL,) * ax + (("int", i),)) for i in range(len(inputs)))


stack = primitive("stack", _stack_kernel, _stack_rule, _stack_vjp, variadic=True, promote=True,
                  linear_in="all",
                  doc="A list of equal-shaped arrays joined along a new ``axis``.")


# --- split: composite --------------------------------------------------------------------------
@composite(torch_name="SplitBackward0")
def split(x: Value, indices_or_sections, axis: int = 0) -> list:
    """``np.split``: an int ``n`` cuts ``axis`` into ``n`` equal parts, a sequence of indices
    cuts before each index. Returns a list of views, each an ``index`` op.

        >>> [p.shape for p in split(np.zeros((6, 2)), 3)]
        [(2, 2), (2, 2), (2, 2)]
    """
    shape = shape_of(x)
    ax = normalize_axis("split", axis, len(shape))
    n = shape[ax]
    if isinstance(indices_or_sections, int | np.integer):
        k = int(indices_or_sections)
        if n is None or k < 1 or n % k:
            raise ShapeError("split", f"cannot cut axis {axis} of shape "
                             f"{describe_shapes(shape)} into {k} equal parts", shapes=[shape])
        cuts = [i * (n // k) for i in range(1, k)]
    else:
        cuts = [int(i) for i in indices_or_sections]
    bounds = [0, *cuts, None]
    return [_slice_along(x, ax, a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


# --- pad: primitive ----------------------------------------------------------------------------
def _widths(pad_width, ndim: int) -> tuple[tuple[int, int], ...]:
    w = np.asarray(pad_width)
    if w.dtype.kind not in "iu" or w.size == 0:
        raise OpValueError("pad", f"pad widths must be ints, got {pad_width!r}")
    try:
        w = np.broadcast_to(w, (ndim, 2))
    except ValueError:
        raise OpValueError("pad", f"pad widths {pad_width!r} need one (before, after) pair per "
                           f"dim of a {ndim}-d input") from None
    if (w < 0).any():
        raise OpValueError("pad", f"pad widths must be non-negative, got {pad_width!r}")
    return tuple((int(b), int(a)) for b, a in w)


def _pad_kernel(x, pad_width, value=0.0):
    return np.pad(x, _widths(pad_width, x.ndim), mode="constant", constant_values=value)


def _pad_rule(x: Aval, pad_width, value=0.0) -> Aval:
    w = _widths(pad_width, x.ndim)
    return Aval(tuple(None if d is None else d + b + a for d, (b, a) in zip(x.shape, w,
                                                                            strict=True)),
                x.dtype)


def _pad_vjp(g, inputs, out, pad_width, value=0.0):
    w = _widths(pad_width, len(shape_of(inputs[0])))
    # A negative stop counts from the end, so no output size is needed (unknown dims work).
    return (index(g, key=tuple(("slice", b, -a if a else None, None) for b, a in w)),)


pad = primitive("pad", _pad_kernel, _pad_rule, _pad_vjp, torch_name="ConstantPadNdBackward0",
                doc="x padded with ``value``; ``pad_width`` is NumPy-style ((before, after), ...).")

__all__ = ["concat", "concat_part", "stack", "split", "pad"]
