"""Op cases of shapes computed at run time (dim_size, reshape_dims, broadcast_dims,
arange_dims, slice_dims) and of functional index assignment (index_set, index_put), walked by
``test_registry_walk.py``."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(1717)


r = uniform_data(rng)


CASES: list[OpCase] = []
case = case_collector(CASES)


def _torch_reshape(torch, x, *sources, dims, shape):
    return x.reshape(shape)


x234 = r(2, 3, 4)
case("dim_size", x234, axis=-1, ref=lambda a, axis: np.asarray(a.shape[axis]), grad=False)
# Own dims with an inferred -1; a shape source's dim; arithmetic over dims.
case("reshape_dims", x234, dims=(("dim", 0, 0), -1), ref=lambda a, dims: a.reshape(2, 12),
     torch_fn=lambda torch, a, dims: a.reshape(a.shape[0], -1), id="own-dim")
case("reshape_dims", x234, r(6, 1), dims=(("dim", 1, 0), 4),
     ref=lambda a, s, dims: a.reshape(6, 4),
     torch_fn=lambda torch, a, s, dims: a.reshape(s.shape[0], 4), id="source")
case("reshape_dims", x234, dims=(("mul", ("dim", 0, 0), ("dim", 0, 1)), ("floordiv", 8, 2)),
     ref=lambda a, dims: a.reshape(6, 4), id="expression")
case("broadcast_dims", r(1, 4), x234, dims=(("dim", 1, 0), ("dim", 1, 1), 4),
     ref=lambda a, s, dims: np.broadcast_to(a, (2, 3, 4)),
     torch_fn=lambda torch, a, s, dims: a.expand(s.shape[0], s.shape[1], 4))
# arange with a bound read from a source's dims (torch.arange(0, T) traced with T unknown).
case("arange_dims", x234, start=0, end=("dim", 0, 2), step=1, dtype="int64",
     ref=lambda a, **k: np.arange(4), grad=False,
     torch_fn=lambda torch, a, **k: torch.arange(0, a.shape[2], 1), id="end-dim")
case("arange_dims", x234, r(6, 1), start=1, end=("mul", ("dim", 1, 0), 2), step=3,
     dtype="float32", ref=lambda a, s, **k: np.arange(1, 12, 3, dtype=np.float32), grad=False,
     id="expression")
# Slices whose bounds read dims (mask[:, :, :T, :T] traced with T unknown) and their gradient.
case("slice_dims", x234, bounds=((2, 1, ("dim", 0, 1), None),),
     ref=lambda a, bounds: a[:, :, 1:3],
     torch_fn=lambda torch, a, bounds: a[:, :, 1:a.shape[1]], id="stop-dim")
case("slice_dims", x234, r(2, 5), bounds=((0, None, ("sub", ("dim", 1, 0), 1), None),
                                         (2, None, None, -2)),
     ref=lambda a, s, bounds: a[:1, :, ::-2], id="source-negative-step")
case("slice_dims_grad", r(2, 3, 2), x234, bounds=((2, 1, ("dim", 0, 1), None),),
     ref=lambda g, a, bounds: np.concatenate([np.zeros((2, 3, 1)), g, np.zeros((2, 3, 1))],
                                             axis=2).astype(g.dtype))
x45 = r(4, 5)
mask = np.array([[True, False, True, False, False]] * 4)
for key, values, tag in (
        ((("slice", 1, 3, None), ("int", 2)), r(2), "slice-int"),
        ((("arr", 0),), r(2, 5), "array"),
        ((("arr", 0),), r(1), "mask")):
    arrays = (np.array([3, 0]),) if tag == "array" else (mask,) if tag == "mask" else ()

    def ref(a, v, *arr, key):
        from shared_ops.ops.indexing import decode_key
        out = a.copy()
        out[decode_key(key, arr)] = v
        return out

    case("index_set", x45, values, *arrays, key=key, ref=ref, id=tag)
case("index_put", x45, (slice(None), np.array([4, 1])), r(4, 1),
     ref=lambda a, k, v: np.concatenate([a[:, :1], v, a[:, 2:4], v], axis=1),
     torch_fn=lambda torch, a, k, v: a.index_put((torch.arange(4)[:, None],
                                                  torch.tensor([4, 1])), v))
