"""Test cases of the matrix functions and factorizations (``linalg_decompositions``,
``linalg_orthogonal``, ``linalg_functions``), walked by ``test_registry_walk.py``.

Matrices are well conditioned (a random matrix plus a multiple of the identity) so that
finite differences in float64 are accurate, and singular values and eigenvalues are distinct.
Cholesky and the symmetric eigendecomposition read one triangle of a matrix that is symmetric
by contract, and their gradients are the symmetric ones PyTorch gives: a finite difference of
one entry does not measure that, so their cases check forward values here and their gradients
in ``tests/eager/linalg/test_linalg_gradients.py``, through a symmetric parametrization.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector

rng = np.random.default_rng(2024)
CASES: list[OpCase] = []
case = case_collector(CASES)


def well(*shape):
    """Random square matrices far from singular: a random part plus 3 times the identity."""
    return rng.standard_normal(shape) + 3 * np.eye(shape[-1])


def spd(*shape):
    """Symmetric positive-definite matrices."""
    x = rng.standard_normal(shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


def la(name):
    """torch_fn calling ``torch.linalg.<name>`` on the inputs."""
    return lambda torch, *args, **kw: getattr(torch.linalg, name)(*args, **kw)


case("linalg_inv", well(3, 3), ref=np.linalg.inv, torch_fn=la("inv"))
case("linalg_inv", well(2, 4, 4), ref=np.linalg.inv, torch_fn=la("inv"), id="batch")
case("linalg_det", well(3, 3), ref=np.linalg.det, torch_fn=la("det"))
case("linalg_det", well(2, 3, 3), ref=np.linalg.det, torch_fn=la("det"), id="batch")
case("linalg_logabsdet", well(3, 3) * -1, ref=lambda a: np.linalg.slogdet(a)[1],
     torch_fn=lambda torch, a: torch.linalg.slogdet(a)[1])
case("linalg_det_sign", np.array([[0.0, 1.0], [1.0, 0.0]]), ref=lambda a: np.linalg.slogdet(a)[0],
     torch_fn=lambda torch, a: torch.linalg.slogdet(a)[0])
case("linalg_solve", well(3, 3), rng.standard_normal((3, 2)), ref=np.linalg.solve,
     torch_fn=la("solve"))
case("linalg_solve", well(2, 3, 3), rng.standard_normal((3, 1)), ref=np.linalg.solve,
     torch_fn=la("solve"), id="batch-broadcast")
case("linalg_cholesky", spd(3, 3), ref=np.linalg.cholesky, torch_fn=la("cholesky"), grad=False)
case("linalg_eigvalsh", spd(3, 3), ref=np.linalg.eigvalsh, torch_fn=la("eigvalsh"), grad=False)
case("linalg_eigh_vectors", spd(3, 3), ref=lambda a: np.linalg.eigh(a)[1], grad=False)
for shape, tag in [((3, 3), "square"), ((4, 2), "tall"), ((2, 4), "wide"), ((2, 3, 2), "batch")]:
    case("linalg_svdvals", rng.standard_normal(shape), ref=lambda a: np.linalg.svd(a)[1],
         torch_fn=la("svdvals"), id=tag)
    case("linalg_svd_u", rng.standard_normal(shape),
         ref=lambda a: np.linalg.svd(a, full_matrices=False)[0], id=tag)
    case("linalg_svd_vh", rng.standard_normal(shape),
         ref=lambda a: np.linalg.svd(a, full_matrices=False)[2], id=tag)
case("linalg_svd_u", rng.standard_normal((4, 2)), full_matrices=True, grad=False,
     ref=lambda a, full_matrices: np.linalg.svd(a, full_matrices=True)[0], id="full")
# Batched: the walk's unknown dim is then a batch dim (the QR gradient needs the matrix dims).
for shape, tag in [((2, 3, 3), "square"), ((2, 4, 2), "tall"), ((2, 4, 3), "batch")]:
    case("linalg_qr_q", rng.standard_normal(shape), ref=lambda a: np.linalg.qr(a)[0],
         torch_fn=lambda torch, a: torch.linalg.qr(a)[0], id=tag)
    case("linalg_qr_r", rng.standard_normal(shape), ref=lambda a: np.linalg.qr(a)[1],
         torch_fn=lambda torch, a: torch.linalg.qr(a)[1], id=tag)
case("linalg_qr_r", rng.standard_normal((1, 2, 4)), ref=lambda a: np.linalg.qr(a)[1], grad=False,
     torch_fn=lambda torch, a: torch.linalg.qr(a)[1], id="wide")
case("linalg_qr_q", rng.standard_normal((1, 4, 2)), mode="complete", grad=False,
     ref=lambda a, mode: np.linalg.qr(a, mode="complete")[0],
     torch_fn=lambda torch, a, mode: torch.linalg.qr(a, mode=mode)[0], id="complete")

# --- composites ------------------------------------------------------------------------------
case("linalg_pinv", rng.standard_normal((4, 3)), ref=np.linalg.pinv, torch_fn=la("pinv"))
case("linalg_pinv", rng.standard_normal((2, 3)), ref=np.linalg.pinv, torch_fn=la("pinv"),
     id="wide")
case("linalg_matrix_power", well(3, 3), 3, ref=np.linalg.matrix_power,
     torch_fn=la("matrix_power"))
case("linalg_matrix_power", well(3, 3), -2, ref=np.linalg.matrix_power,
     torch_fn=la("matrix_power"), id="negative")
case("linalg_matrix_power", well(2, 3, 3), 0, ref=np.linalg.matrix_power,
     torch_fn=la("matrix_power"), grad=False, id="zero")
case("linalg_solve_triangular", well(3, 3), rng.standard_normal((3, 2)), upper=True,
     ref=lambda a, b, upper: np.linalg.solve(np.triu(a), b),
     torch_fn=lambda torch, a, b, upper: torch.linalg.solve_triangular(a, b, upper=upper))
case("linalg_solve_triangular", well(3, 3), rng.standard_normal((2, 3)), upper=False, left=False,
     unitriangular=True,
     ref=lambda a, b, upper, left, unitriangular: b @ np.linalg.inv(
         np.tril(a, -1) + np.eye(3)),
     torch_fn=lambda torch, a, b, **kw: torch.linalg.solve_triangular(a, b, **kw),
     id="right-unit")
case("linalg_cross", rng.standard_normal((4, 3)), rng.standard_normal((1, 3)),
     ref=lambda a, b: np.cross(a, b), torch_fn=la("cross"), id="broadcast")
case("linalg_cross", rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), dim=0,
     ref=lambda a, b, dim: np.cross(a, b, axis=0), torch_fn=la("cross"), id="dim0")
case("trace", rng.standard_normal((3, 4)), ref=np.trace,
     torch_fn=lambda torch, a: torch.trace(a))

# --- special functions -----------------------------------------------------------------------
case("erfinv", rng.uniform(-0.99, 0.99, (3, 4)), torch_fn=lambda torch, a: torch.erfinv(a))
case("erfinv", np.array([-1.0, 1.0, 1.5, 0.0, 1 - 1e-12, -0.95]), grad=False, id="edges",
     torch_fn=lambda torch, a: torch.erfinv(a))
