"""Op cases of ``diagonal`` (a view) and ``diagonal_scatter``, walked by
``test_registry_walk.py``: offsets on both sides, other dim pairs (negative ones included),
batches, wide and tall planes, an offset past the plane (an empty diagonal); NumPy's
``diagonal`` as the reference and torch as the oracle."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(3090)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def scatter_ref(x, src, offset=0, dim1=0, dim2=1):
    out = x.copy()
    view = np.diagonal(out, offset, dim1, dim2)
    view.setflags(write=True)
    view[...] = src
    return out


for shape, offset, dim1, dim2 in (((3, 4), 0, 0, 1), ((3, 4), 1, 0, 1), ((4, 3), -2, 0, 1),
                                  ((2, 3, 4), 1, 2, 1), ((2, 3, 4), 0, -1, 0),
                                  ((3, 3), 5, 0, 1)):
    attrs = dict(offset=offset, dim1=dim1, dim2=dim2)
    x = r(*shape)
    case("diagonal", x, ref=lambda x, **a: np.diagonal(x, a["offset"], a["dim1"], a["dim2"]),
         torch_fn=lambda torch, x, **a: torch.diagonal(x, **a), id=f"{shape}-{offset}",
         **attrs)
    src = r(*np.diagonal(x, offset, dim1, dim2).shape)
    case("diagonal_scatter", x, src, ref=scatter_ref,
         torch_fn=lambda torch, x, s, **a: torch.diagonal_scatter(x, s, **a),
         id=f"{shape}-{offset}", **attrs)
