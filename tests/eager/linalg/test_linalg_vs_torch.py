"""``eager.linalg`` against ``torch.linalg``: values, structured results and their printing,
gradients (through parametrizations that make them well defined), and errors."""

from __future__ import annotations

import numpy as np
import pytest
from linalg_support import eager_t, torch_t, values

import eager
import eager.linalg as la

torch = pytest.importorskip("torch")
rng = np.random.default_rng(7)


def pd(*shape):
    x = rng.standard_normal(shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


A = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
TALL, WIDE, SPD = rng.standard_normal((5, 3)), rng.standard_normal((2, 4)), pd(2, 3, 3)
B = rng.standard_normal((2, 3, 2))

# name -> call over a library (eager or torch), on float64 inputs made by ``t``.
CALLS = {
    "inv": lambda L, t: L.linalg.inv(t(A)),
    "det": lambda L, t: L.linalg.det(t(A)),
    "slogdet": lambda L, t: tuple(L.linalg.slogdet(-t(A))),
    "solve": lambda L, t: L.linalg.solve(t(A), t(B)),
    "solve-vector": lambda L, t: L.linalg.solve(t(A), t(B[..., 0])),
    "solve-right": lambda L, t: L.linalg.solve(t(A), t(np.swapaxes(B, -1, -2)), left=False),
    "cholesky": lambda L, t: L.linalg.cholesky(t(SPD)),
    "cholesky-upper": lambda L, t: L.linalg.cholesky(t(SPD), upper=True),
    "eigvalsh": lambda L, t: L.linalg.eigvalsh(t(SPD)),
    "eigvalsh-U": lambda L, t: L.linalg.eigvalsh(t(np.triu(SPD)), UPLO="U"),
    "svdvals": lambda L, t: L.linalg.svdvals(t(TALL)),
    "pinv": lambda L, t: L.linalg.pinv(t(TALL)),
    "pinv-atol": lambda L, t: L.linalg.pinv(t(WIDE), atol=0.9),
    "matrix_rank": lambda L, t: L.linalg.matrix_rank(t(np.outer(TALL[:, 0], WIDE[0, :3]))),
    "lstsq": lambda L, t: L.linalg.lstsq(t(TALL), t(TALL[:, :2] + 1)).solution,
    "matrix_power": lambda L, t: L.linalg.matrix_power(t(A), -3),
    "multi_dot": lambda L, t: L.linalg.multi_dot([t(TALL), t(A[0]), t(WIDE[:, :3].T)]),
    "cross": lambda L, t: L.linalg.cross(t(A), t(A[:1])),
    "vecdot": lambda L, t: L.linalg.vecdot(t(A), t(B[..., :1]), dim=-2),
    "solve_triangular": lambda L, t: L.linalg.solve_triangular(t(A), t(B), upper=False),
    "diagonal": lambda L, t: L.linalg.diagonal(t(A), offset=1),
    "norm-nuc": lambda L, t: L.linalg.norm(t(A), "nuc", dim=(1, 2)),
    "matrix_norm-2": lambda L, t: L.linalg.matrix_norm(t(A), 2, keepdim=True),
    "vector_norm": lambda L, t: L.linalg.vector_norm(t(A), 3, dim=1),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_value_and_dtype_match_torch(name):
    ours, theirs = values(CALLS[name](eager, eager_t)), values(CALLS[name](torch, torch_t))
    flat = list(zip(ours, theirs, strict=True)) if isinstance(ours, list) else [(ours, theirs)]
    for (o, od), (t, td) in flat:
        assert od == td and o.shape == t.shape
        np.testing.assert_allclose(o, t, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", ["inv", "det", "slogdet", "solve", "solve-vector", "solve-right",
                                  "svdvals", "pinv", "lstsq", "matrix_power", "multi_dot",
                                  "cross", "solve_triangular", "norm-nuc", "matrix_norm-2"])
def test_gradient_matches_torch(name):
    """The gradient of a random weighting of the outputs, from the same leaves."""
    grads = []
    for L, make in ((eager, eager_t), (torch, torch_t)):
        leaves = []

        def leaf(x, L=L, make=make, leaves=leaves):
            t = make(x).requires_grad_(True)
            leaves.append(t)
            return t
        out = CALLS[name](L, leaf)
        outs = [o for o in (out if isinstance(out, tuple) else (out,)) if o.requires_grad]
        total = sum((o * make(np.cos(np.arange(o.numel()).reshape(tuple(o.shape))))).sum()
                    for o in outs)
        total.backward()
        grads.append([t.grad.numpy() if L is eager else t.grad.detach().numpy() for t in leaves])
    for ours, theirs in zip(*grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-9)


# Decompositions whose vectors are defined up to sign, and symmetric-by-contract inputs: a loss
# invariant to the signs, of a symmetric positive-definite A = X X^T + n I built from a leaf X.
GAUGE_FREE = {
    "eigh": lambda L, a: (L.linalg.eigh(a)[1] ** 2 * L.linalg.eigh(a)[0].unsqueeze(-2)).sum(),
    "svd": lambda L, a: sum((p ** 2).sum() * (k + 1) for k, p in
                            enumerate(L.linalg.svd(a[..., :2], full_matrices=False))),
    "qr": lambda L, a: (L.linalg.qr(a).Q * L.linalg.qr(a).R.diagonal(dim1=-2, dim2=-1)
                        .unsqueeze(-2)).sum(),
    "cholesky": lambda L, a: (L.linalg.cholesky(a) ** 3).sum(),
    "eigvalsh": lambda L, a: (L.linalg.eigvalsh(a) ** 2).sum(),
}


@pytest.mark.parametrize("name", list(GAUGE_FREE))
def test_decomposition_gradient_matches_torch_and_finite_differences(name):
    x0 = rng.standard_normal((2, 3, 3))

    def loss(L, x):
        return GAUGE_FREE[name](L, x @ x.transpose(-1, -2) + 3 * L.eye(3, dtype=L.float64))

    ex, tx = eager_t(x0).requires_grad_(True), torch_t(x0).requires_grad_(True)
    loss(eager, ex).backward()
    loss(torch, tx).backward()
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy(), rtol=1e-7, atol=1e-9)
    h, fd = 1e-6, np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        step = np.zeros_like(x0)
        step[idx] = h
        fd[idx] = (loss(eager, eager_t(x0 + step)).item()
                   - loss(eager, eager_t(x0 - step)).item()) / (2 * h)
    np.testing.assert_allclose(ex.grad.numpy(), fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("call", [
    lambda L, t: L.linalg.slogdet(t(A[0])), lambda L, t: L.linalg.eigh(t(SPD[0])).eigenvalues,
    lambda L, t: L.linalg.qr(t(A[0]), mode="r"),
    lambda L, t: L.linalg.lstsq(t(TALL), t(TALL[:, :2] + 1)),
    lambda L, t: L.linalg.lstsq(t(TALL), t(TALL[:, :2] + 1), driver="gelsd"),
    lambda L, t: L.linalg.lstsq(t(TALL), t(TALL[:, :2] + 1), driver="gels"),
    lambda L, t: L.linalg.inv_ex(t(A)), lambda L, t: L.linalg.cholesky_ex(t(SPD[0])),
    lambda L, t: L.slogdet(t(A[0])),
], ids=["slogdet", "eigh-values", "qr-r", "lstsq", "lstsq-gelsd", "lstsq-gels", "inv_ex",
        "cholesky_ex", "torch.slogdet"])
def test_structured_results_print_as_torch(call):
    assert repr(call(eager, eager_t)) == repr(call(torch, torch_t))


def test_singular_matrix_raises_a_runtime_error_naming_the_op():
    with pytest.raises(la.LinAlgError, match="linalg_inv: .*singular") as info:
        la.inv(eager.zeros(2, 2))
    assert isinstance(info.value, RuntimeError) and issubclass(torch.linalg.LinAlgError,
                                                               RuntimeError)
    assert "test_linalg_vs_torch.py" in str(info.value)  # the user's own line
    with pytest.raises(la.LinAlgError, match="linalg_cholesky: .*positive-definite"):
        la.cholesky(-eager.eye(3))


def test_bad_shapes_and_dtypes_name_the_op():
    with pytest.raises(ValueError, match=r"linalg_inv: A must be batches of square matrices, "
                                         r"but they are 2 by 3 matrices"):
        la.inv(eager.ones(2, 3))
    with pytest.raises(TypeError, match="linalg_det: expected a floating-point input, got int64"):
        la.det(eager.ones(2, 2, dtype=eager.int64))
    with pytest.raises(ValueError, match="qr received unrecognized mode 'full'"):
        la.qr(eager.eye(2), mode="full")


def test_full_matrices_vectors_of_a_non_square_matrix_have_no_gradient():
    x = eager.randn(4, 2, requires_grad=True)
    u, _, _ = la.svd(x)  # torch's default: full_matrices=True
    assert tuple(u.shape) == (4, 4)
    with pytest.raises(RuntimeError, match="full_matrices=False"):
        u.sum().backward()


def test_float32_results_stay_float32():
    a = eager.tensor(A[0], dtype=eager.float32)
    assert la.inv(a).dtype == eager.float32 and la.svd(a).S.dtype == eager.float32
    assert la.matrix_rank(a).dtype == eager.int64 and int(la.matrix_rank(a)) == 3


@pytest.mark.parametrize("shapes, dtypes", [
    ([(2, 2), (2, 2, 2), (2, 2)], ("float32",) * 3),  # a batched middle matrix
    ([(2, 2, 2), (2, 2)], ("float32",) * 2),  # a batched first one
    ([(2, 2), (1, 1, 2)], ("float32",) * 2),  # a batched last one
    ([(2, 2), (2, 2)], ("float64", "float32")),  # matmul would promote
])
def test_multi_dot_rejects_what_torch_rejects(shapes, dtypes):
    messages = []
    for L in (eager, torch):
        chain = [L.ones(*s, dtype=getattr(L, d)) for s, d in zip(shapes, dtypes, strict=True)]
        with pytest.raises(RuntimeError, match="multi_dot()") as info:
            L.linalg.multi_dot(chain)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
