"""eager.linalg.eig / eigvals against torch's: complex eigenvalues and unit eigenvectors (up to
their phase) of real and complex, single and batched matrices, their gradients (torch's
linalg_eig_backward, real part for a real matrix), printing and errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(3)
REAL = RNG.standard_normal((2, 4, 4))
CPLX = RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3))


def _loss(L, a):
    w, v = L.linalg.eig(a)
    weights = L.tensor(np.linspace(0.0, 1.0, v.shape[-1] ** 2).reshape(v.shape[-2:]))
    # phase-invariant in the eigenvectors (|v|), as torch requires of a loss
    return (w.abs() ** 2).sum() + (v.abs() * weights).sum() + L.view_as_real(
        L.linalg.eigvals(a)).sum(), w, v


def _phase_fixed(v: np.ndarray) -> np.ndarray:
    """Each eigenvector with its largest entry made real and positive: eigenvectors are unique
    up to a phase, which two LAPACK builds (NumPy's, torch's) may choose differently."""
    largest = np.take_along_axis(v, np.abs(v).argmax(axis=-2)[..., None, :], axis=-2)
    return v * (np.abs(largest) / largest)


@pytest.mark.parametrize("data", [REAL, REAL[0], CPLX, REAL[0].astype(np.float32)],
                         ids=["batched", "real", "complex", "float32"])
def test_values_vectors_and_gradients_match_torch(data):
    results = []
    for L in (eager, torch):
        a = L.tensor(data, requires_grad=True)
        loss, w, v = _loss(L, a)
        loss.backward()
        results.append((str(w.dtype), str(v.dtype), w.detach().numpy(),
                        _phase_fixed(v.detach().numpy()), a.grad.numpy()))
    ours, theirs = results
    assert ours[:2] == theirs[:2]
    tol = 1e-4 if data.dtype == np.float32 else 1e-9
    for o, t in zip(ours[2:], theirs[2:], strict=True):
        np.testing.assert_allclose(o, t, rtol=tol, atol=tol)


def test_printing_matches_torch():
    a = [[2.0, 0.0], [0.0, 3.0]]
    assert repr(eager.linalg.eig(eager.tensor(a))) == repr(torch.linalg.eig(torch.tensor(a)))
    assert repr(eager.linalg.eigvals(eager.tensor([[0.0, -1.0], [1.0, 0.0]]))) == repr(
        torch.linalg.eigvals(torch.tensor([[0.0, -1.0], [1.0, 0.0]])))


def test_a_non_square_matrix_is_refused():
    with pytest.raises(RuntimeError):
        torch.linalg.eig(torch.ones(2, 3))
    with pytest.raises(ValueError, match="linalg_eig_values: expects a batch of square"):
        eager.linalg.eig(eager.ones(2, 3))
