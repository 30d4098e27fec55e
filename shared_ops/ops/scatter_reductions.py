"""PyTorch's ``scatter_reduce``: the primitive ``scatter_reduce_elements`` and the composite
``scatter_reduce(input, dim, index, src, reduce, *, include_self=True)`` with PyTorch's
argument order and errors (RuntimeErrors, as PyTorch raises them).

Every ``src`` entry is combined into ``out[..., index, ...]`` along ``dim`` with ``reduce``:
'sum', 'prod', 'mean', 'amax' or 'amin'. With ``include_self`` the input's value takes part;
without, a position that receives anything starts from the reduction's identity (positions
that receive nothing keep the input's value either way). 'mean' divides by the number of
values combined (floor division for integer dtypes, as PyTorch). NaN propagates through
'amax'/'amin' as in PyTorch (``np.maximum.at``).

Gradients are PyTorch's (``scatter_reduce_backward``): 'amax'/'amin' share the gradient
evenly between all values equal to the result (the input's own value counted even without
``include_self``, as PyTorch does), 'prod' divides the result by each factor with zeros
handled exactly, 'mean' divides by the counts. Without ``include_self`` the input's gradient
is zero where anything was scattered.

    >>> import numpy as np
    >>> scatter_reduce(np.array([1.0, 5.0, 3.0]), 0, np.array([0, 0, 1]),
    ...                np.array([2.0, 3.0, 7.0]), "amax").tolist()
    [3.0, 7.0, 3.0]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpError
from ..registry import composite, primitive
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .elementwise import cast, div, mul
from .elementwise_logic import eq, where
from .fill import ones_like, zeros_like
from .scatter_gather import gather_elements, leading_corner, scatter_elements, scatter_positions
from .shape import reshape

REDUCES = ("sum", "prod", "mean", "amax", "amin")
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
           "amin": np.minimum}


class IndexingError(OpError, RuntimeError):
    """PyTorch's RuntimeError for the bad arguments of scatter_reduce, index_reduce, put..."""


def check_reduce(name: str, reduce, allowed: tuple = REDUCES) -> None:
    """PyTorch's error for an unknown ``reduce`` (its message lists the allowed names)."""
    if reduce not in allowed:
        names = ", ".join(allowed[:-1]) + " or " + allowed[-1]
        raise IndexingError(name, f"reduce argument must be either {names}, got {reduce}")


def _check(name: str, x: Aval, idx: Aval, src: Aval, dim, reduce) -> int:
    """PyTorch's checks of shapes and dtypes, its messages; returns the normalized dim."""
    check_reduce(name, reduce)
    shapes = [x.shape, idx.shape, src.shape]
    if idx.dtype.kind not in "iu":
        raise IndexingError(name, "scatter(): Expected dtype int32/int64 for index",
                            dtypes=[idx.dtype])
    if src.dtype != x.dtype:
        raise IndexingError(name, "scatter(): Expected self.dtype to be equal to src.dtype "
                            f"(self {x.dtype}, src {src.dtype})", dtypes=[x.dtype, src.dtype])
    if reduce == "mean" and x.dtype.kind == "b":
        raise IndexingError(name, "reduce='mean' is not implemented for bool tensors (nor in "
                            "PyTorch)", dtypes=[x.dtype])
    d = dim_of(name, dim, x.ndim)
    # A 0-d tensor counts as one element along one dim, as in PyTorch.
    idx_dims, x_dims, src_dims = (tuple(a.shape) or (1,) for a in (idx, x, src))
    if not len(idx_dims) == len(x_dims) == len(src_dims):
        raise IndexingError(name, "Index tensor must have the same number of dimensions as "
                            f"self tensor (index {list(idx.shape)}, self {list(x.shape)}, "
                            f"src {list(src.shape)})", shapes=shapes)
    for i, (n, m, s) in enumerate(zip(idx_dims, x_dims, src_dims, strict=True)):
        if n is not None and ((i != d and m is not None and n > m) or
                              (s is not None and n > s)):
            raise IndexingError(name, f"Expected index {list(idx.shape)} to be no larger than "
                                f"self {list(x.shape)} apart from dimension {d} and to be no "
                                f"larger size than src {list(src.shape)}", shapes=shapes)
    return d


def _identity(reduce: str, dtype: np.dtype):
    """The value a position starts from when ``include_self`` is off."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    high = reduce == "amin"
    if dtype.kind == "f":
        return np.inf if high else -np.inf
    if dtype.kind == "b":
        return high
    info = np.iinfo(dtype)
    return info.max if high else info.min


# --- scatter_reduce_elements: primitive --------------------------------------------------------
def _kernel(x, idx, src, dim, reduce, include_self=True):
    name = "scatter_reduce"
    d = _check(name, Aval(x.shape, x.dtype), Aval(idx.shape, idx.dtype),
               Aval(src.shape, src.dtype), dim, reduce)
    out = x.reshape(1).copy() if x.ndim == 0 else x.copy()
    idx, src = idx.reshape(idx.shape or (1,)), src.reshape(src.shape or (1,))
    if idx.size and (idx.min() < 0 or idx.max() >= out.shape[d]):  # PyTorch's RuntimeError
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise IndexingError(name, f"index {bad} is out of bounds for dimension {d} with size "
                            f"{out.shape[d]}", shapes=[x.shape, idx.shape])
    src = src[tuple(slice(0, n) for n in idx.shape)]  # a larger src: its leading corner
    vector = _vector_index(idx, d) if out.dtype.kind == "f" else None
    if vector is not None:  # the region the index covers, a view of out
        region = out[tuple(slice(None) if i == d else slice(0, n)
                           for i, n in enumerate(idx.shape))]
        _reduce_slices(region, vector, src, d, reduce, include_self)
        return out.reshape(x.shape)
    at = scatter_positions(name, out, idx, d)
    if not include_self:
        out[at] = _identity(reduce, out.dtype)
    _UFUNCS[reduce].at(out, at, src)
    if reduce == "mean":
        counts = np.full(out.shape, int(include_self), np.int64)
        np.add.at(counts, at, 1)
        counts = np.maximum(counts, 1).astype(out.dtype)
        (np.floor_divide if out.dtype.kind in "iu" else np.true_divide)(out, counts, out=out)
    return out.reshape(x.shape)


def _vector_index(idx: np.ndarray, d: int) -> np.ndarray | None:
    """The 1-d index along ``d`` when ``idx`` repeats one across every other dim (stride 0:
    ``index.unsqueeze(1).expand_as(src)``, as message passing and index_reduce scatter),
    else None."""
    if idx.ndim == 1:
        return idx
    if all(s == 0 or n == 1 for i, (s, n) in enumerate(zip(idx.strides, idx.shape, strict=True))
           if i != d):
        return idx[tuple(slice(None) if i == d else 0 for i in range(idx.ndim))]
    return None


def _reduce_slices(out: np.ndarray, vector: np.ndarray, src: np.ndarray, d: int, reduce: str,
                   include_self: bool) -> None:
    """``out``'s slices along ``d`` combined in place with ``src``'s, slice ``i`` into slice
    ``vector[i]``: each group of equal indices reduced at once (``reduceat`` over a stable
    sort, so each group keeps src's order).
    NOTE: a measured trick (docs/PERFORMANCE.md, "scatter_reduce by sorted slices"): ufunc.at
    with the broadcast index took 1.7-3x as long on a message-passing scatter."""
    if not vector.size:
        return
    order = np.argsort(vector, kind="stable")
    ordered = vector[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    at = (slice(None),) * d + (ordered[starts],)
    reduced = _UFUNCS[reduce].reduceat(np.take(src, order, axis=d), starts, axis=d)
    if reduce == "mean":
        counts = np.diff(np.append(starts, vector.size)) + int(include_self)
        if include_self:
            reduced += out[at]
        reduced /= counts.reshape((-1,) + (1,) * (out.ndim - d - 1)).astype(out.dtype)
    elif include_self:
        reduced = _UFUNCS[reduce](out[at], reduced)
    out[at] = reduced


def _rule(x: Aval, idx: Aval, src: Aval, dim, reduce, include_self=True) -> Aval:
    _check("scatter_reduce", x, idx, src, dim, reduce)
    return x


def _vjp(g, inputs, out, dim, reduce, include_self=True):
    x, idx, src = inputs
    if len(shape_of(x)) == 0:  # a 0-d input reduces as one element: work on (1,)
        g1, x1, idx1, src1, out1 = (reshape(v, shape=(-1,)) for v in (g, x, idx, src, out))
        gx, _, gs = _vjp(g1, (x1, idx1, src1), out1, dim, reduce, include_self)
        return reshape(gx, shape=()), None, reshape(gs, shape=shape_of(src))
    gx, gs = _GRADIENTS[reduce](g, x, idx, src, out, dim, include_self)
    if not include_self:  # the input's values were replaced where anything was scattered
        gx = scatter_elements(gx, idx, zeros_like(src), dim=dim)
    return gx, None, gs


def _sum_grad(g, x, idx, src, out, dim, include_self):
    return g, gather_elements(g, idx, dim=dim)


def _mean_grad(g, x, idx, src, out, dim, include_self):
    counts = scatter_elements(ones_like(g) if include_self else zeros_like(g), idx,
                              ones_like(src), dim=dim, reduce="add")
    counts = where(eq(counts, 0), ones_like(counts), counts)
    gx = div(g, counts)
    return gx, gather_elements(gx, idx, dim=dim)


def _extreme_grad(g, x, idx, src, out, dim, include_self):
    # Every value equal to the result shares its gradient evenly (PyTorch's rule).
    value = gather_elements(out, idx, dim=dim)
    x_hit, src_hit = eq(x, out), eq(src, value)
    shares = scatter_elements(cast(x_hit, dtype=g.dtype), idx, cast(src_hit, dtype=g.dtype),
                              dim=dim, reduce="add")
    each = div(g, shares)
    return (where(x_hit, each, zeros_like(each)),
            where(src_hit, gather_elements(each, idx, dim=dim), zeros_like(src)))


def _prod_grad(g, x, idx, src, out, dim, include_self):
    attrs = dict(dim=dim, reduce="prod", include_self=include_self)
    # The input: the product of the others, computed again with a zero input read as one.
    x_zero = eq(x, 0)
    x_ones = where(x_zero, ones_like(x), x)
    gx = div(mul(g, scatter_reduce_elements(x_ones, idx, src, **attrs)), x_ones)
    # src: out / src, except where src is the only zero of its group: then the product of
    # the others, computed with that zero read as one.
    src_zero = eq(src, 0)
    zeros_in = gather_elements(scatter_elements(zeros_like(x), idx, cast(src_zero, dtype=x.dtype),
                                                dim=dim, reduce="add"), idx, dim=dim)
    single = eq(where(src_zero, zeros_in, zeros_like(zeros_in)), 1)
    src_ones = where(single, ones_like(src), src)
    others = gather_elements(mul(g, scatter_reduce_elements(x, idx, src_ones, **attrs)), idx,
                             dim=dim)
    ratio = div(gather_elements(mul(g, out), idx, dim=dim),
                where(src_zero, ones_like(src), src))
    return gx, where(single, others, ratio)


_GRADIENTS = {"sum": _sum_grad, "mean": _mean_grad, "prod": _prod_grad, "amax": _extreme_grad,
              "amin": _extreme_grad}

scatter_reduce_elements = primitive(
    "scatter_reduce_elements", _kernel, _rule, _vjp, nondiff_inputs=(1,), fresh=True,
    torch_name="ScatterReduceBackward0",
    doc="x with ``src`` combined by ``reduce`` ('sum', 'prod', 'mean', 'amax', 'amin') into "
        "the positions ``index`` names along ``dim``, PyTorch's scatter_reduce.")


# --- scatter_reduce: composite with PyTorch's signature ----------------------------------------
@composite
def scatter_reduce(input: Value, dim: int, index: Value, src: Value,  # noqa: A002
                   reduce: str, *, include_self: bool = True) -> Value:
    """``torch.scatter_reduce(input, dim, index, src, reduce, *, include_self=True)``. A
    ``src`` larger than the index contributes only its leading corner, as in PyTorch."""
    if not hasattr(src, "dtype") or isinstance(src, np.generic):
        raise TypeError("scatter_reduce(): argument 'src' (position 3) must be Tensor, not "
                        f"{type(src).__name__}")
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # PyTorch takes both names
    x_aval, i_aval = Aval(shape_of(input), input.dtype), Aval(shape_of(index), index.dtype)
    _check("scatter_reduce", x_aval, i_aval, Aval(shape_of(src), src.dtype), dim, reduce)
    return scatter_reduce_elements(input, index, leading_corner(src, shape_of(index)), dim=dim,
                                   reduce=reduce, include_self=include_self)


__all__ = ["scatter_reduce_elements", "scatter_reduce"]
