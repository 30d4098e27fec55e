"""Repeating: tile (primitive, torch.tile) with its gradient tile_grad (primitive), the
composite repeat (``Tensor.repeat``), and repeat_interleave (composite) over repeat_indices
(primitive, int64, no gradient).

``tile(x, reps=...)`` lays copies of x side by side (np.tile); fewer reps than dims count
from the right, more add leading dims. ``repeat(x, *sizes)`` is the same with PyTorch's
stricter rule (at least one size per dim). The gradient sums the copies back
(``tile_grad``, which reads x's run-time shape, so a rep of 0 works too).

``repeat_interleave`` repeats each entry in place (np.repeat) and is an ``index`` with the
positions ``repeat_indices`` computes, so its gradient is ``index``'s (an ``index_add``);
with a tensor of repeats its length is known only at run time (None while building, unless
``output_size`` says it).

    >>> import numpy as np
    >>> repeat(np.array([1, 2]), 2, 2)
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]])
    >>> repeat_interleave(np.array([[1, 2], [3, 4]]), np.array([1, 2]), dim=0)
    array([[1, 2],
           [3, 4],
           [3, 4]])
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, normalize_axis
from ..errors import DTypeError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import shape_of
from ._types import Value
from .indexing import index
from .shape import reshape

_ALL = ("slice", None, None, None)


def _reps(name: str, reps) -> tuple[int, ...]:
    items = (reps,) if isinstance(reps, int | np.integer) else tuple(reps)
    if not all(isinstance(r, int | np.integer) and not isinstance(r, bool) and r >= 0
               for r in items):
        raise OpValueError(name, f"repeats must be non-negative ints, got {reps!r}")
    return tuple(int(r) for r in items)


def _full(ndim: int, reps: tuple[int, ...]) -> tuple[int, ...]:
    """reps padded with leading 1s to the input's rank (torch.tile's rule)."""
    return (1,) * (ndim - len(reps)) + reps


# --- tile: primitive ---------------------------------------------------------------------------
def _tile_kernel(x, reps):
    return np.tile(x, _full(x.ndim, _reps("tile", reps)))


def _tile_rule(x: Aval, reps) -> Aval:
    r = _full(x.ndim, _reps("tile", reps))
    shape = (1,) * (len(r) - x.ndim) + tuple(x.shape)
    return Aval(tuple(None if n is None else n * k for n, k in zip(shape, r, strict=True)),
                x.dtype)


def _tile_vjp(g, inputs, out, reps):
    return (tile_grad(g, inputs[0], reps=reps),)


tile = primitive("tile", _tile_kernel, _tile_rule, _tile_vjp, torch_name="RepeatBackward0",
                 doc="Copies of x laid side by side, ``reps`` per dim (torch.tile, np.tile).")


# --- tile_grad: primitive (tile's adjoint) -----------------------------------------------------
def _tile_grad_kernel(g, x, reps):
    r = _full(x.ndim, _reps("tile", reps))
    shape = (1,) * (len(r) - x.ndim) + x.shape
    split = tuple(n for pair in zip(r, shape, strict=True) for n in pair)
    return g.reshape(split).sum(axis=tuple(range(0, 2 * len(r), 2))).reshape(x.shape)


def _tile_grad_rule(g: Aval, x: Aval, reps) -> Aval:
    want = _tile_rule(x, reps).shape
    if len(g.shape) != len(want) or any(a is not None and b is not None and a != b
                                        for a, b in zip(g.shape, want, strict=True)):
        raise ShapeError("tile_grad", f"gradient {describe_shapes(g.shape)} does not match "
                         f"the tiled shape {describe_shapes(want)}", shapes=[g.shape, x.shape])
    return Aval(x.shape, g.dtype)


def _tile_grad_vjp(g, inputs, out, reps):
    return tile(g, reps=reps), None


tile_grad = primitive("tile_grad", _tile_grad_kernel, _tile_grad_rule, _tile_grad_vjp,
                      nondiff_inputs=(1,),
                      doc="The copies in a tiled gradient ``g`` summed back to x's shape.")


@composite
def repeat(input: Value, *sizes) -> Value:  # noqa: A002 -- torch's name
    """``Tensor.repeat(*sizes)`` (or one sequence): at least one size per dim of the input."""
    if len(sizes) == 1 and not isinstance(sizes[0], int | np.integer):
        sizes = tuple(sizes[0])
    ndim = len(shape_of(input))
    if len(sizes) < ndim:
        raise OpValueError("repeat", f"{len(sizes)} repeat sizes for an input of {ndim} dims: "
                           f"give at least one per dim")
    return tile(input, reps=_reps("repeat", sizes))


# --- repeat_indices: primitive, no gradient ----------------------------------------------------
def _counts(x: np.ndarray, counts: tuple, d: int, repeats) -> np.ndarray:
    n = x.shape[d]
    if not counts:
        return np.full(n, _reps("repeat_interleave", repeats)[0], dt.int64)
    c = counts[0]
    if c.ndim == 0:
        c = np.full(n, c)
    if c.shape != (n,):
        raise ShapeError("repeat_interleave", f"repeats of shape {describe_shapes(c.shape)} "
                         f"must have one count per entry of dim {d} (size {n})",
                         shapes=[x.shape, c.shape])
    if c.size and c.min() < 0:
        raise OpValueError("repeat_interleave", f"repeats must be non-negative, got {c.min()}")
    return c


def _indices_kernel(x, *counts, dim=0, repeats=None, output_size=None):
    _indices_rule(Aval(x.shape, x.dtype), *(Aval(c.shape, c.dtype) for c in counts),
                  dim=dim, repeats=repeats, output_size=output_size)
    d = normalize_axis("repeat_interleave", dim, x.ndim)
    out = np.repeat(np.arange(x.shape[d], dtype=dt.int64), _counts(x, counts, d, repeats))
    if output_size is not None and out.shape[0] != output_size:
        raise OpValueError("repeat_interleave", f"output_size={output_size} but the repeats "
                           f"add up to {out.shape[0]}")
    return out


def _indices_rule(x: Aval, *counts: Aval, dim=0, repeats=None, output_size=None) -> Aval:
    d = normalize_axis("repeat_interleave", dim, x.ndim)
    if len(counts) > 1 or (counts and repeats is not None) or (not counts and repeats is None):
        raise OpValueError("repeat_interleave", "give the repeats either as an int attr or as "
                           "one integer array")
    if counts:
        if counts[0].dtype.kind not in "iu":
            raise DTypeError("repeat_interleave", f"repeats must hold integers, got "
                             f"{counts[0].dtype}", dtypes=[counts[0].dtype])
        if counts[0].ndim > 1:
            raise ShapeError("repeat_interleave", f"repeats must be 0-d or 1-d, got shape "
                             f"{describe_shapes(counts[0].shape)}", shapes=[counts[0].shape])
        n = output_size
    else:
        r = _reps("repeat_interleave", repeats)
        if len(r) != 1:
            raise OpValueError("repeat_interleave", f"repeats must be one int, got {repeats!r}")
        n = None if x.shape[d] is None else x.shape[d] * r[0]
    return Aval((n,), dt.int64)


repeat_indices = primitive("repeat_indices", _indices_kernel, _indices_rule, None,
                           nondiff_inputs=(0, 1), differentiable_output=False,
                           doc="np.repeat(arange(x.shape[dim]), repeats): the positions "
                               "repeat_interleave takes; repeats an int attr or an array.")


@composite
def repeat_interleave(input: Value, repeats=None, dim: int | None = None,  # noqa: A002
                      output_size: int | None = None) -> Value:
    """``torch.repeat_interleave``: each entry repeated ``repeats`` times (an int, or a 0-d or
    1-d integer tensor of counts) along ``dim`` (None: the flattened input). With only a
    tensor of counts, ``repeat_interleave(counts)`` gives the repeated positions."""
    if repeats is None:  # torch.repeat_interleave(repeats): positions 0, 0, 1, 2, 2, ...
        return repeat_indices(input, input, dim=0, output_size=output_size)
    x = input
    if dim is None:
        x, dim = reshape(input, shape=(-1,)), 0
    d = normalize_axis("repeat_interleave", int(dim), len(shape_of(x)))
    if isinstance(repeats, list | tuple):
        repeats = np.asarray(repeats, dtype=dt.int64)
    if isinstance(repeats, int | np.integer):
        idx = repeat_indices(x, dim=d, repeats=int(repeats))
    else:
        idx = repeat_indices(x, repeats, dim=d, output_size=output_size)
    return index(x, idx, key=(_ALL,) * d + (("arr", 0),))


__all__ = ["tile", "tile_grad", "repeat", "repeat_indices", "repeat_interleave"]
