"""Op cases of PyTorch's scatter_reduce, index_reduce, index_copy and put (the composites of
``shared_ops/ops/scatter_reductions.py`` and ``index_writes.py`` and their primitive
``scatter_reduce_elements``), walked by ``test_registry_walk.py``.

The reference is a loop over the index, written for clarity. Finite-difference cases keep
the values distinct (no ties); the tie cases check only forward and torch's gradient (the
even sharing between equal extremes, and a zero factor of a product).
"""

from __future__ import annotations

import warnings

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(2207)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)

_COMBINE = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
            "amin": np.minimum}


def scatter_reduce_ref(x, dim, idx, src, reduce, include_self=True):
    dim %= max(x.ndim, 1)
    out, count = x.copy(), np.ones(x.shape, np.int64)
    hit = np.zeros(x.shape, bool)
    for pos in np.ndindex(idx.shape):
        dst = list(pos)
        dst[dim] = idx[pos]
        dst = tuple(dst)
        if not include_self and not hit[dst]:
            out[dst], count[dst] = src[pos], 1
        else:
            out[dst], count[dst] = _COMBINE[reduce](out[dst], src[pos]), count[dst] + 1
        hit[dst] = True
    if reduce == "mean":
        out = out / np.where(hit, count, 1) if x.dtype.kind == "f" else out // count
    return out


def _torch_scatter_reduce(torch, x, dim, idx, src, reduce, include_self=True):
    return torch.scatter_reduce(x, dim, idx, src, reduce, include_self=include_self)


x34 = r(3, 4)
idx = np.array([[0, 0, 3], [1, 1, 1], [2, 0, 2]])   # repeats along dim 1, col 2 never hit
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    for include_self in (True, False):
        case("scatter_reduce", x34, 1, idx, r(3, 3), reduce, include_self=include_self,
             ref=scatter_reduce_ref, torch_fn=_torch_scatter_reduce,
             id=f"{reduce}-{'self' if include_self else 'no-self'}")
case("scatter_reduce", x34, 0, np.array([[2, 0, 0, 1]]), r(2, 5), "sum",
     ref=lambda x, d, i, s, red: scatter_reduce_ref(x, d, i, s[:1, :4], red),
     torch_fn=None, id="larger-src")  # PyTorch's own gradient refuses a larger src
ties_x = np.array([[1.0, 5.0, 3.0, 2.0]])
ties_src = np.array([[5.0, 2.0, 7.0, 5.0, 0.0]])
ties_idx = np.array([[1, 0, 2, 1, 2]])
for reduce in ("amax", "amin", "prod"):
    for include_self in (True, False):
        case("scatter_reduce", ties_x, -1, ties_idx, ties_src, reduce, include_self=include_self,
             ref=scatter_reduce_ref, torch_fn=_torch_scatter_reduce, grad=False,
             id=f"{reduce}-ties-{'self' if include_self else 'no-self'}")
case("scatter_reduce", np.array([1, 5, 3]), 0, np.array([0, 0, 1]), np.array([-2, 3, 7]),
     "mean", ref=scatter_reduce_ref, torch_fn=_torch_scatter_reduce, grad=False,
     id="int-mean-floors")
case("scatter_reduce", np.array(1.5), 0, np.array([0, 0]), np.array([2.0, -3.0]), "prod",
     ref=lambda x, d, i, s, red: x * s.prod(), torch_fn=_torch_scatter_reduce, id="0-d")
case("scatter_reduce_elements", x34, idx, r(3, 3), dim=1, reduce="amax",
     ref=lambda x, i, s, dim, reduce: scatter_reduce_ref(x, dim, i, s, reduce))


# --- index_reduce, index_copy, put -------------------------------------------------------------
def index_reduce_ref(x, dim, index, source, reduce, include_self=True):
    moved = np.moveaxis(source, dim, -1)
    spread = np.broadcast_to(index, moved.shape)
    return scatter_reduce_ref(x, dim, np.moveaxis(spread, -1, dim), source, reduce,
                              include_self)


x234 = r(2, 3, 4)
def _torch_index_reduce(torch, x, dim, index, source, reduce, include_self=True):
    with warnings.catch_warnings():  # "index_reduce() is in beta"
        warnings.simplefilter("ignore", UserWarning)
        return torch.index_reduce(x, dim, index, source, reduce, include_self=include_self)


for reduce in ("prod", "mean", "amax", "amin"):
    case("index_reduce", x234, 1, np.array([2, 0, 2, 2]), r(2, 4, 4), reduce,
         include_self=reduce != "mean", ref=index_reduce_ref, torch_fn=_torch_index_reduce,
         id=reduce)


def index_copy_ref(x, dim, index, source):
    out = np.moveaxis(x.copy(), dim, 0)
    out[index] = np.moveaxis(source, dim, 0)
    return np.moveaxis(out, 0, dim)


case("index_copy", x234, 2, np.array([3, 0]), r(2, 3, 2), ref=index_copy_ref,
     torch_fn=lambda torch, x, d, i, s: torch.index_copy(x, d, i, s))
case("index_copy", x234, -3, np.array(1), r(1, 3, 4), ref=index_copy_ref,
     torch_fn=lambda torch, x, d, i, s: torch.index_copy(x, d, i, s), id="0-d-index")


def put_ref(x, index, source, accumulate=False):
    flat = x.reshape(-1).copy()
    if accumulate:
        np.add.at(flat, index.reshape(-1), source.reshape(-1))
    else:
        flat[index.reshape(-1)] = source.reshape(-1)
    return flat.reshape(x.shape)


case("put", x34, np.array([[-1, 0], [5, 7]]), r(2, 2), ref=put_ref,
     torch_fn=lambda torch, x, i, s: torch.put(x, i, s), id="negative")
case("put", x34, np.array([1, 1, -12]), r(3), True, ref=put_ref,
     torch_fn=lambda torch, x, i, s, acc: torch.put(x, i, s, acc), id="accumulate")
