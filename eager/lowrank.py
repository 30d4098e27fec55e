"""``torch.svd_lowrank`` and ``torch.pca_lowrank``: randomized low-rank SVD (Halko,
Martinsson and Tropp's range finder with subspace iterations), drawing the same Gaussian test
matrix from the generator as PyTorch does, so a seeded program gets PyTorch's factors.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> U, S, V = eager.svd_lowrank(eager.eye(4, 3), q=2)
    >>> [round(s, 4) for s in S.tolist()]
    [1.0, 1.0]
"""

from __future__ import annotations

from typing import Any


def _range_basis(A: Any, q: int, niter: int) -> Any:
    """An orthonormal basis Q (..., m, q) of A's dominant column space: A R for a Gaussian R,
    re-orthonormalised after each multiplication by A^H and by A (``niter`` round trips)."""
    import eager

    dtype = A.dtype if A.is_floating_point() else eager.float32
    sketch = eager.randn(A.shape[-1], q, dtype=dtype)
    Q = eager.linalg.qr(A @ sketch).Q
    for _ in range(niter):
        Q = eager.linalg.qr(A.mH @ Q).Q
        Q = eager.linalg.qr(A @ Q).Q
    return Q


def svd_lowrank(A: Any, q: int | None = 6, niter: int | None = 2,
                M: Any = None) -> tuple[Any, Any, Any]:
    """``(U, S, V)`` with A - M ~ U diag(S) V^H, of rank ``q`` (6 by default), from
    ``niter`` subspace iterations; M (broadcast to A) is subtracted first when given."""
    import eager

    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    if M is not None:
        A = A - M.broadcast_to(A.shape)
    m, n = A.shape[-2:]
    wide = m < n
    if wide:  # factor the tall A^H: its range is the smaller one
        A = A.mH
    Q = _range_basis(A, q, niter)
    U, S, Vh = eager.linalg.svd(Q.mH @ A, full_matrices=False)
    U, V = Q @ U, Vh.mH
    return (V, S, U) if wide else (U, S, V)


def pca_lowrank(A: Any, q: int | None = None, center: bool = True,
                niter: int = 2) -> tuple[Any, Any, Any]:
    """``svd_lowrank`` of A with its column means removed (``center``): V's columns are the
    principal directions and S ** 2 / (m - 1) the variances along them; q defaults to
    min(6, m, n)."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than "
                         f"min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=(-2,), keepdim=True)
    return svd_lowrank(A, q, niter=niter)


__all__ = ["svd_lowrank", "pca_lowrank"]
