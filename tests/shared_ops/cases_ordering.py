"""Op cases of sorting, running sums and products, reordering, triangles and the
value-sized ops (sort, argsort, topk, cumsum, cumprod, prod, flip, roll, tril, triu,
argwhere, nonzero, unique), walked by ``test_registry_walk.py``.

Differentiable data is float64 with distinct values (ties make sort's and topk's gradients
jump, so finite differences need distance between values); tie cases check values and
indices with ``grad=False`` (their gradients are held to PyTorch's in
test_torch_semantics.py). References are NumPy written for clarity.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector

rng = np.random.default_rng(16)


def distinct(*shape):
    """Float64 values at least 0.2 apart, shuffled (no ties, no near-ties)."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.25 - n * 0.125 + rng.uniform(-0.02, 0.02, n)).reshape(shape)


def pos(*shape):
    return rng.uniform(0.5, 1.5, size=shape)


CASES: list[OpCase] = []
case = case_collector(CASES)


# --- references --------------------------------------------------------------------------------
def stable_order(a, axis, descending=False):
    """Stable sort positions along ``axis``, ties in input order both ways (a Python sort)."""
    moved = np.moveaxis(a, axis, -1)
    out = np.empty(moved.shape, np.int64)
    for pos_ in np.ndindex(moved.shape[:-1]):
        row = moved[pos_]
        out[pos_] = sorted(range(len(row)), key=lambda i: -row[i] if descending else row[i])
    return np.moveaxis(out, -1, axis)


def sort_ref(a, dim=-1, descending=False, stable=False):
    if a.ndim == 0:
        return a, np.zeros((), np.int64)
    idx = stable_order(a, dim, descending)
    return np.take_along_axis(a, idx, dim), idx


def topk_ref(a, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    values, idx = sort_ref(a, dim, descending=largest)
    keep = (slice(None),) * (dim % a.ndim) + (slice(0, k),)
    return values[keep], idx[keep]


def t_sort(torch, a, **kw):
    return tuple(torch.sort(a, **kw))


def t_topk(torch, a, k, **kw):
    return tuple(torch.topk(a, k, **kw))


def exclusive_prod(a):
    """Per entry, the product of all the others (the prod gradient), by brute force."""
    flat = a.reshape(-1)
    return np.array([np.prod(np.delete(flat, i)) for i in range(flat.size)]).reshape(a.shape)


# --- sort, argsort, topk -----------------------------------------------------------------------
x35 = distinct(3, 5)
ties = np.array([[3.0, 1.0, 3.0, 2.0, 3.0, 1.0], [0.0, 0.0, -1.0, 5.0, 5.0, 0.0]])
case("sort", x35, dim=1, ref=sort_ref, torch_fn=t_sort, id="dim1")
case("sort", x35, dim=-2, descending=True, ref=sort_ref, torch_fn=t_sort, id="neg-dim-desc")
case("sort", ties, descending=True, stable=True, ref=sort_ref, torch_fn=t_sort, grad=False,
     id="ties-desc-stable")
case("sort", ties, stable=True, ref=sort_ref, torch_fn=t_sort, grad=False, id="ties-stable")
case("sort", np.array([1.0, np.nan, 0.0, np.nan, -np.inf]), descending=True, stable=True,
     torch_fn=t_sort, grad=False, id="nan-first-desc")
case("sort", np.array([1.0, np.nan, 0.0, np.nan]), stable=True, torch_fn=t_sort, grad=False,
     id="nan-last")
case("sort", np.array([[3, 1, 2], [0, 0, -7]]), ref=sort_ref, torch_fn=t_sort, grad=False,
     id="int")
case("sort", np.array([True, False, True]), stable=True, ref=sort_ref, torch_fn=t_sort,
     grad=False, id="bool")
case("sort", np.zeros((0, 3)), dim=1, ref=sort_ref, torch_fn=t_sort, id="empty")
case("sort", np.array(2.5), ref=sort_ref, torch_fn=t_sort, id="0-d")
case("argsort", ties, dim=-1, descending=True, stable=True,
     ref=lambda a, dim, descending, stable: stable_order(a, dim, descending),
     torch_fn=lambda torch, a, **kw: torch.argsort(a, **kw), grad=False, id="ties-desc")
case("argsort", x35, dim=0, ref=lambda a, dim: stable_order(a, dim),
     torch_fn=lambda torch, a, **kw: torch.argsort(a, **kw), grad=False, id="dim0")
case("topk", x35, 2, dim=1, ref=topk_ref, torch_fn=t_topk, id="largest")
case("topk", x35, 3, dim=0, largest=False, ref=topk_ref, torch_fn=t_topk, id="smallest-dim0")
case("topk", distinct(7), 7, ref=topk_ref, torch_fn=t_topk, id="k-all")
case("topk", x35, 0, ref=topk_ref, torch_fn=t_topk, id="k0")
# PyTorch's own tie order (a partial sort) is not the input order: values only vs torch.
case("topk", ties, 3, ref=topk_ref, grad=False, id="ties-stable")
case("topk", np.array([1.0, np.nan, 0.0, 5.0]), 2, torch_fn=t_topk, grad=False,
     id="nan-largest")
case("topk_indices", x35, k=2, dim=-1, largest=False,
     ref=lambda a, k, dim, largest: stable_order(a, dim)[:, :k], grad=False)

# --- cumsum, cumprod, prod ---------------------------------------------------------------------
x34 = distinct(3, 4)
with_zeros = np.array([[2.0, 0.0, 4.0, 0.5], [0.0, 0.0, 3.0, 1.5], [1.5, 2.0, -3.0, 0.75]])


def t_cum(name):
    return lambda torch, a, dim, **kw: getattr(torch, name)(a, dim, **kw)


case("cumsum", x34, dim=1, ref=lambda a, dim: np.cumsum(a, dim), torch_fn=t_cum("cumsum"),
     id="dim1")
case("cumsum", x34, dim=-2, ref=lambda a, dim: np.cumsum(a, dim), torch_fn=t_cum("cumsum"),
     id="neg-dim")
case("cumsum", np.array([[1, 2], [3, 4]], np.int32), dim=0,
     ref=lambda a, dim: np.cumsum(a, dim, dtype=np.int64), torch_fn=t_cum("cumsum"), grad=False,
     id="int32-to-int64")
case("cumsum", np.array([True, False, True]), dim=0,
     ref=lambda a, dim: np.cumsum(a, dtype=np.int64), torch_fn=t_cum("cumsum"), grad=False,
     id="bool")
case("cumsum", np.array([1, 2, 3]), dim=0, dtype=np.dtype("float64"),
     ref=lambda a, dim, dtype: np.cumsum(a).astype(dtype),
     torch_fn=lambda torch, a, dim, dtype: torch.cumsum(a, dim, dtype=torch.float64),
     grad=False, id="dtype")
case("cumsum", np.array(1.5), dim=0, ref=lambda a, dim: a, torch_fn=t_cum("cumsum"), id="0-d")
case("cumsum", np.zeros((0, 3)), dim=0, ref=lambda a, dim: a, torch_fn=t_cum("cumsum"),
     id="empty")
case("cumprod", pos(3, 4), dim=1, ref=lambda a, dim: np.cumprod(a, dim),
     torch_fn=t_cum("cumprod"), id="dim1")
case("cumprod", with_zeros, dim=-1, ref=lambda a, dim: np.cumprod(a, dim),
     torch_fn=t_cum("cumprod"), id="zeros")
case("cumprod", with_zeros.T.copy(), dim=0, ref=lambda a, dim: np.cumprod(a, dim),
     torch_fn=t_cum("cumprod"), id="zeros-dim0")
case("cumprod", np.array([2, 3, 4], np.int32), dim=0,
     ref=lambda a, dim: np.cumprod(a, dtype=np.int64), torch_fn=t_cum("cumprod"), grad=False,
     id="int")


def prod_ref(a, dim=None, keepdim=False, dtype=None):
    out = np.prod(a, axis=dim, keepdims=keepdim, dtype=np.int64 if a.dtype.kind in "biu" else None)
    return out.reshape((1,) * a.ndim) if dim is None and keepdim else out


def t_prod(torch, a, dim=None, keepdim=False):
    if dim is None:
        out = torch.prod(a)
        return out.reshape((1,) * a.ndim) if keepdim else out
    return torch.prod(a, dim, keepdim=keepdim)


case("prod", pos(2, 3, 2), ref=prod_ref, torch_fn=t_prod, id="all")
case("prod", pos(3, 4), dim=1, keepdim=True, ref=prod_ref, torch_fn=t_prod, id="dim-keepdim")
case("prod", with_zeros, dim=-1, ref=prod_ref, torch_fn=t_prod, id="zeros-one-two")
case("prod", np.array([[2.0, 0.0], [3.0, 4.0]]), ref=prod_ref, torch_fn=t_prod,
     id="all-one-zero")
case("prod", np.array([0.0, 1.5, 0.0]), ref=prod_ref, torch_fn=t_prod, id="all-two-zeros")
case("prod", pos(2, 2), keepdim=True, ref=prod_ref, torch_fn=t_prod, id="all-keepdim")
case("prod", np.array([[1, 2], [3, 4]], np.int32), dim=0, ref=prod_ref, torch_fn=t_prod,
     grad=False, id="int")
case("prod", np.zeros((2, 0)), dim=1, ref=prod_ref, torch_fn=t_prod, id="empty-is-one")
case("prod", np.array(1.5), ref=prod_ref, torch_fn=t_prod, id="0-d")

# --- flip, roll, tril, triu --------------------------------------------------------------------
x234 = distinct(2, 3, 4)
case("flip", x234, dims=(0, -1), ref=lambda a, dims: np.flip(a, dims),
     torch_fn=lambda torch, a, dims: torch.flip(a, dims))
case("flip", np.zeros((0, 2)), dims=(1,), ref=lambda a, dims: a,
     torch_fn=lambda torch, a, dims: torch.flip(a, dims), id="empty")
case("roll", x234, shifts=1, ref=lambda a, shifts: np.roll(a.reshape(-1), 1).reshape(a.shape),
     torch_fn=lambda torch, a, shifts: torch.roll(a, shifts), id="flat")
case("roll", x234, shifts=(1, -3), dims=(0, 2),
     ref=lambda a, shifts, dims: np.roll(a, shifts, dims),
     torch_fn=lambda torch, a, shifts, dims: torch.roll(a, shifts, dims), id="dims")
case("roll", x234, shifts=(1, 2), dims=(1, 1), ref=lambda a, shifts, dims: np.roll(a, 3, 1),
     torch_fn=lambda torch, a, shifts, dims: torch.roll(a, shifts, dims), id="repeated-dim")
case("roll", np.zeros((0, 3)), shifts=2, dims=0, ref=lambda a, shifts, dims: a,
     torch_fn=lambda torch, a, shifts, dims: torch.roll(a, shifts, dims), id="empty")
for name in ("tril", "triu"):
    fn = getattr(np, name)
    case(name, distinct(4, 3), diagonal=-1, ref=lambda a, diagonal, f=fn: f(a, diagonal),
         torch_fn=lambda torch, a, diagonal, n=name: getattr(torch, n)(a, diagonal),
         id="below")
    case(name, distinct(2, 3, 4), diagonal=1, ref=lambda a, diagonal, f=fn: f(a, diagonal),
         torch_fn=lambda torch, a, diagonal, n=name: getattr(torch, n)(a, diagonal),
         id="batched")
    case(name, np.ones((3, 3), bool), ref=lambda a, f=fn: f(a),
         torch_fn=lambda torch, a, n=name: getattr(torch, n)(a), grad=False, id="bool")

# --- argwhere, nonzero, unique (sizes known only at run time) ----------------------------------
sparse = np.array([[0.0, 1.5, 0.0], [-2.0, 0.0, np.nan]])
case("argwhere", sparse, ref=np.argwhere, torch_fn=lambda torch, a: torch.argwhere(a),
     grad=False)
case("nonzero", sparse, ref=np.argwhere, torch_fn=lambda torch, a: torch.nonzero(a),
     grad=False)
case("nonzero", sparse, as_tuple=True, ref=lambda a, as_tuple: np.nonzero(a),
     torch_fn=lambda torch, a, as_tuple: torch.nonzero(a, as_tuple=True), grad=False,
     id="as-tuple")
case("nonzero", np.array(5), ref=lambda a: np.zeros((1, 0), np.int64),
     torch_fn=lambda torch, a: torch.nonzero(a), grad=False, id="0-d")
case("nonzero", np.array(0), as_tuple=True, ref=lambda a, as_tuple: (np.zeros(0, np.int64),),
     torch_fn=lambda torch, a, as_tuple: torch.nonzero(a, as_tuple=True), grad=False,
     id="0-d-as-tuple-zero")
case("nonzero", np.zeros((0, 2)), ref=np.argwhere, torch_fn=lambda torch, a: torch.nonzero(a),
     grad=False, id="empty")
dup = np.array([[3, 1, 2], [1, 3, 3]])


def unique_ref(a, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim,
                                        equal_nan=False)
    extra = ([inverse.reshape(a.shape if dim is None else -1)] if return_inverse else []) + \
        ([counts] if return_counts else [])
    return (values, *extra) if extra else values


def t_unique(torch, a, **kw):
    out = torch.unique(a, **kw)
    return tuple(out) if isinstance(out, tuple) else out


case("unique", dup, ref=unique_ref, torch_fn=t_unique, grad=False)
case("unique", dup, return_inverse=True, return_counts=True, ref=unique_ref,
     torch_fn=t_unique, grad=False, id="inverse-counts")
case("unique", np.array([[1, 2], [0, 1], [1, 2]]), return_inverse=True, return_counts=True,
     dim=0, ref=unique_ref, torch_fn=t_unique, grad=False, id="dim0")
case("unique", np.array([[1, 2, 1], [0, 1, 0]]), return_inverse=True, dim=-1,
     ref=unique_ref, torch_fn=t_unique, grad=False, id="neg-dim")
case("unique", np.array([1.0, np.nan, np.nan, 1.0]), return_counts=True, ref=unique_ref,
     torch_fn=t_unique, grad=False, id="nans-distinct")
case("unique", np.zeros(0), return_inverse=True, return_counts=True, ref=unique_ref,
     torch_fn=t_unique, grad=False, id="empty")
case("unique", np.array([True, False, True]), ref=unique_ref, torch_fn=t_unique, grad=False,
     id="bool")
case("unique_values", dup, ref=lambda a: np.unique(a), grad=False)
case("unique_inverse", dup, ref=lambda a: np.unique(a, return_inverse=True)[1].reshape(a.shape),
     grad=False)
case("unique_counts", dup, dim=1,
     ref=lambda a, dim: np.unique(a, axis=1, return_counts=True)[1], grad=False)
