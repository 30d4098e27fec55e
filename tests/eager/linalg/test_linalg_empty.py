"""Empty matrices (0 by 0, a batch of none, 3 by 0 and 0 by 3) through ``linalg`` as torch:
the same shapes, dtypes and values (an empty pseudo-inverse, rank 0, condition number 0, an
empty LU with info 0, an inverse of nothing)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

SQUARE = [(0, 0), (2, 0, 0), (0, 3, 3)]
ANY = SQUARE + [(3, 0), (0, 3), (2, 3, 0)]


def rhs(L, a):
    return L.ones(*a.shape[:-1], 2, dtype=a.dtype)


CALLS = {
    "inv": (SQUARE, lambda L, a: L.linalg.inv(a)),
    "inv_ex": (SQUARE, lambda L, a: tuple(L.linalg.inv_ex(a))),
    "det": (SQUARE, lambda L, a: L.linalg.det(a)),
    "slogdet": (SQUARE, lambda L, a: tuple(L.linalg.slogdet(a))),
    "solve": (SQUARE, lambda L, a: L.linalg.solve(a, rhs(L, a))),
    "matrix_exp": (SQUARE, lambda L, a: L.linalg.matrix_exp(a)),
    "pinv": (ANY, lambda L, a: L.linalg.pinv(a)),
    "lstsq": (ANY, lambda L, a: L.linalg.lstsq(a, rhs(L, a)).solution),
    "matrix_rank": (ANY, lambda L, a: L.linalg.matrix_rank(a)),
    "cond": (ANY, lambda L, a: L.linalg.cond(a)),
    "lu_factor_ex": (ANY, lambda L, a: tuple(L.linalg.lu_factor_ex(a))),
    "lu": (ANY, lambda L, a: tuple(L.linalg.lu(a))),
}
PARAMS = [(name, shape) for name, (shapes, _) in CALLS.items() for shape in shapes]


@pytest.mark.parametrize("name, shape", PARAMS, ids=[f"{n}-{s}" for n, s in PARAMS])
def test_empty_matrices_match_torch(name, shape):
    call = CALLS[name][1]
    ours = call(eager, eager.zeros(*shape, dtype=eager.float64))
    theirs = call(torch, torch.zeros(*shape, dtype=torch.float64))
    ours, theirs = (ours if isinstance(ours, tuple) else (ours,),
                    theirs if isinstance(theirs, tuple) else (theirs,))
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        assert tuple(o.shape) == tuple(t.shape) and str(o.dtype) == str(t.dtype)
        np.testing.assert_array_equal(o.numpy(), t.numpy())
