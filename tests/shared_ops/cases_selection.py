"""Op cases of PyTorch's gather/scatter, selection along a dim, repetition and einsum
(gather, scatter and their primitives, index_select, narrow, masked_fill, tile, repeat,
repeat_interleave, einsum, contract, diagonal_mask), walked by ``test_registry_walk.py``.

References are NumPy written for clarity (loops where that is clearest); every op PyTorch
has gets a ``torch_fn`` oracle, forward and gradient.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(1616)


r = uniform_data(rng)


CASES: list[OpCase] = []
case = case_collector(CASES)


# --- gather / scatter --------------------------------------------------------------------------
def gather_ref(x, dim, idx, **_):
    out = np.empty(idx.shape, x.dtype)
    for pos in np.ndindex(idx.shape):
        src = list(pos)
        src[dim] = idx[pos]
        out[pos] = x[tuple(src)]
    return out


def scatter_ref(x, dim, idx, src=None, value=None, reduce=None):
    out = x.copy()
    for pos in np.ndindex(idx.shape):
        dst = list(pos)
        dst[dim % x.ndim] = idx[pos]
        v = value if src is None else src[pos]
        if reduce == "add":
            out[tuple(dst)] += v
        elif reduce == "multiply":
            out[tuple(dst)] *= v
        else:
            out[tuple(dst)] = v
    return out


x34 = r(3, 4)
small_idx = np.array([[0, 3], [2, 2]])           # 2 x 2 corner of a 3 x 4 input
case("gather", x34, 1, small_idx, ref=gather_ref,
     torch_fn=lambda torch, x, dim, idx: torch.gather(x, dim, idx), id="corner")
case("gather", x34, -2, np.array([[2, 0, 1, 1], [0, 0, 2, 1], [1, 2, 0, 0], [2, 2, 2, 2]]),
     ref=lambda x, dim, idx: gather_ref(x, 0, idx),
     torch_fn=lambda torch, x, dim, idx: torch.gather(x, dim, idx), id="neg-dim-longer")
case("gather", x34, 1, np.zeros((3, 0), np.int64), ref=gather_ref,
     torch_fn=lambda torch, x, dim, idx: torch.gather(x, dim, idx), id="empty-index")
case("gather_elements", x34, small_idx, dim=1, ref=lambda x, idx, dim: gather_ref(x, dim, idx))
# Distinct positions: a plain scatter with repeats keeps an unspecified write in PyTorch.
dst_idx = np.array([[0, 1], [2, 0]])
case("scatter", np.zeros((3, 4)) + r(3, 4), 1, dst_idx, r(2, 2), ref=scatter_ref,
     torch_fn=lambda torch, x, dim, idx, src: torch.scatter(x, dim, idx, src), id="src")
case("scatter", x34, 1, dst_idx, r(2, 3), ref=lambda x, d, i, s: scatter_ref(x, d, i, s[:, :2]),
     torch_fn=None, id="larger-src")  # PyTorch's own gradient refuses a larger src
case("scatter", x34, 0, np.array([[1, 0, 2, 2]]), 2.5, ref=lambda x, d, i, v:
     scatter_ref(x, d, i, value=v),
     torch_fn=lambda torch, x, dim, idx, v: torch.scatter(x, dim, idx, v), id="value")
case("scatter", np.zeros((2, 2), np.int64), 1, np.array([[1], [0]]), value=2.7,
     ref=lambda x, d, i, value: scatter_ref(x, d, i, value=2),
     torch_fn=lambda torch, x, d, i, value: torch.scatter(x, d, i, value), grad=False,
     id="value-cast-to-int")
rep_idx = np.array([[0, 0, 3], [1, 1, 1]])      # repeated positions accumulate
case("scatter", x34, 1, rep_idx, r(2, 3), reduce="add", ref=scatter_ref,
     torch_fn=lambda torch, x, d, i, s, reduce: torch.scatter_add(x, d, i, s), id="add-repeats")
case("scatter", x34, -1, rep_idx, r(2, 3), reduce="multiply", ref=scatter_ref,
     torch_fn=lambda torch, x, d, i, s, reduce: torch.scatter_reduce(x, d, i, s, "prod"),
     grad=False, id="multiply")
case("scatter_elements", x34, dst_idx, r(2, 2), dim=1,
     ref=lambda x, i, s, dim: scatter_ref(x, dim, i, s))

# --- index_select, narrow, masked_fill ---------------------------------------------------------
x234 = r(2, 3, 4)
case("index_select", x234, 2, np.array([3, 0, 3]),
     ref=lambda x, d, i: np.take(x, i, axis=d),
     torch_fn=lambda torch, x, d, i: torch.index_select(x, d, i), id="repeats")
case("index_select", x234, -2, np.array(1), ref=lambda x, d, i: np.take(x, [i], axis=d),
     torch_fn=lambda torch, x, d, i: torch.index_select(x, d, i), id="0-d-index")
case("index_select", x234, 0, np.zeros(0, np.int64), ref=lambda x, d, i: x[:0],
     torch_fn=lambda torch, x, d, i: torch.index_select(x, d, i), id="empty-index")
case("narrow", x234, 2, 1, 2, ref=lambda x, d, s, n: x[:, :, 1:3],
     torch_fn=lambda torch, x, d, s, n: torch.narrow(x, d, s, n))
case("narrow", x234, -1, -3, 3, ref=lambda x, d, s, n: x[..., 1:4],
     torch_fn=lambda torch, x, d, s, n: torch.narrow(x, d, s, n), id="negative-start")
case("narrow", x234, 1, 3, 0, ref=lambda x, d, s, n: x[:, 3:3],
     torch_fn=lambda torch, x, d, s, n: torch.narrow(x, d, s, n), id="empty")
mask34 = r(3, 4) > 0
case("masked_fill", x34, mask34, -0.5, ref=lambda x, m, v: np.where(m, v, x),
     torch_fn=lambda torch, x, m, v: torch.masked_fill(x, m, v), id="scalar")
case("masked_fill", x34, mask34[0], np.array(0.75), ref=lambda x, m, v: np.where(m, v, x),
     torch_fn=lambda torch, x, m, v: torch.masked_fill(x, m, v), id="0-d-tensor-broadcast")
case("masked_fill", np.array([1, 2, 3]), np.array([True, False, True]), 2.7,
     ref=lambda x, m, v: np.where(m, 2, x),
     torch_fn=lambda torch, x, m, v: torch.masked_fill(x, m, v), grad=False, id="int-cast")
case("masked_fill", r(1, 4), mask34, 1.5, ref=lambda x, m, v: np.where(m, v, x),
     torch_fn=lambda torch, x, m, v: torch.masked_fill(x, m, v), id="mask-broadcasts-input")

# --- tile, repeat, repeat_interleave -----------------------------------------------------------
x23 = r(2, 3)
case("tile", x23, reps=(2, 1, 3), ref=lambda x, reps: np.tile(x, reps),
     torch_fn=lambda torch, x, reps: torch.tile(x, reps), id="new-dim")
case("tile", x23, reps=(2,), ref=lambda x, reps: np.tile(x, reps),
     torch_fn=lambda torch, x, reps: torch.tile(x, reps), id="fewer-reps")
case("tile", x23, reps=(0, 2), ref=lambda x, reps: np.tile(x, reps),
     torch_fn=lambda torch, x, reps: torch.tile(x, reps), id="zero")
case("tile_grad", r(4, 6), x23, reps=(2, 2),
     ref=lambda g, x, reps: g.reshape(2, 2, 2, 3).sum(axis=(0, 2)))
case("repeat", x23, 2, 2, ref=lambda x, *s: np.tile(x, s),
     torch_fn=lambda torch, x, *s: x.repeat(*s), id="2d")
case("repeat", r(3), (2, 1, 2), ref=lambda x, s: np.tile(x, s),
     torch_fn=lambda torch, x, s: x.repeat(s), id="sequence-new-dims")
case("repeat", np.array(1.5), 3, ref=lambda x, s: np.tile(x, s),
     torch_fn=lambda torch, x, s: x.repeat(s), id="0-d")
case("repeat_interleave", x23, 2, ref=lambda x, n: np.repeat(x, n),
     torch_fn=lambda torch, x, n: torch.repeat_interleave(x, n), id="flat")
case("repeat_interleave", x23, np.array([1, 0, 2]), dim=-1,
     ref=lambda x, n, dim: np.repeat(x, n, axis=dim),
     torch_fn=lambda torch, x, n, dim: torch.repeat_interleave(x, n, dim=dim), id="counts")
case("repeat_interleave", x23, np.array(2), dim=0,
     ref=lambda x, n, dim: np.repeat(x, 2, axis=0),
     torch_fn=lambda torch, x, n, dim: torch.repeat_interleave(x, n, dim=dim), id="0-d-count")
case("repeat_interleave", x23, np.array([2, 1]), dim=0, output_size=3,
     ref=lambda x, n, dim, output_size: np.repeat(x, n, axis=0),
     torch_fn=lambda torch, x, n, **kw: torch.repeat_interleave(x, n, **kw), id="output-size")
case("repeat_interleave", np.array([2, 0, 1]), ref=lambda n: np.repeat(np.arange(3), n),
     torch_fn=lambda torch, n: torch.repeat_interleave(n), grad=False, id="counts-only")
case("repeat_indices", x23, np.array([1, 3]), dim=0,
     ref=lambda x, n, dim: np.array([0, 1, 1, 1]), grad=False)

# --- einsum, contract, diagonal_mask -----------------------------------------------------------


def einsum_ref(eq, *ops):
    eq = eq.replace(" ", "")
    if eq == "...ij->ij":  # NumPy will not sum an ellipsis away; PyTorch does
        return ops[0].sum(axis=0)
    return np.einsum(eq, *ops)


def t_einsum(torch, eq, *ops):
    return torch.einsum(eq, *ops)


for eq, shapes, tag in [
        ("ij,jk->ik", [(3, 4), (4, 2)], "matmul"),
        ("ij,jk", [(3, 4), (4, 2)], "implicit"),
        ("ba,ca", [(2, 3), (4, 3)], "implicit-sorted"),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], "batched"),
        ("...ij,jk->...ik", [(2, 1, 3), (3, 5)], "ellipsis"),
        ("i...,...i", [(3, 2), (2, 3)], "ellipsis-implicit"),
        ("...ij->ij", [(2, 3, 4)], "ellipsis-summed"),
        ("bij,bjk->bik", [(2, 1, 3), (1, 3, 4)], "label-broadcast"),
        ("ii->i", [(3, 3)], "diagonal"),
        ("ii", [(3, 3)], "trace"),
        ("iij,jk->ik", [(2, 2, 3), (3, 2)], "diagonal-contract"),
        ("ij->", [(2, 3)], "sum-all"),
        ("ij->j", [(2, 3)], "summed-label"),
        ("i,j->ij", [(3,), (2,)], "outer"),
        (",i->i", [(), (3,)], "scalar"),
        ("i j , j k -> i k", [(2, 3), (3, 2)], "spaces"),
        ("aB,Bc->ac", [(2, 3), (3, 2)], "upper-case"),
        ("ij,jk->ik", [(2, 0), (0, 3)], "empty")]:
    case("einsum", eq, *(r(*s) for s in shapes), ref=einsum_ref, torch_fn=t_einsum, id=tag)
case("einsum", "i,i", np.array([1, 2]), np.array([3, 4]), ref=np.einsum, torch_fn=t_einsum,
     grad=False, id="int")
case("contract", [r(2, 3), r(3, 4)], equation="ij,jk->ki",
     ref=lambda ops, equation: np.einsum(equation, *ops))
case("diagonal_mask", r(2, 2, 3), groups=((0, 1),),
     ref=lambda x, groups: np.broadcast_to(np.eye(2, dtype=bool)[:, :, None], x.shape),
     grad=False)
