"""The constraints on square matrices of ``torch.distributions.constraints``: lower
triangular (with positive diagonal: Cholesky factors; with unit rows too: of correlation
matrices), square, symmetric, positive semi-definite and positive definite. Each checks the
trailing two dims as one event.

    >>> import eager
    >>> lower_cholesky.check(eager.tensor([[1.0, 0.0], [2.0, 3.0]]))
    tensor(True)
"""

from __future__ import annotations

from typing import Any

import eager

from .constraint_base import Constraint


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value: Any) -> Any:
        lower = (value.tril() == value).reshape(*value.shape[:-2], -1).all(-1)
        positive = (value.diagonal(dim1=-2, dim2=-1) > 0).all(-1)
        return lower & positive


class _PositiveDefinite(Constraint):
    event_dim = 2

    def check(self, value: Any) -> Any:
        symmetric = ((value - value.transpose(-1, -2)).abs() < 1e-6).reshape(
            *value.shape[:-2], -1).all(-1)
        eigenvalues = eager.linalg.eigvalsh(value.detach())
        return symmetric & (eigenvalues > 0).all(-1)


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value: Any) -> Any:
        return (value.tril() == value).reshape(*value.shape[:-2], -1).min(-1)[0]


class _Square(Constraint):
    event_dim = 2

    def check(self, value: Any) -> Any:
        return eager.full(tuple(value.shape[:-2]), value.shape[-2] == value.shape[-1],
                          dtype=eager.bool)


class _Symmetric(_Square):
    def check(self, value: Any) -> Any:
        square = super().check(value)
        if not bool(square.all()):
            return square
        return eager.isclose(value, value.mT, atol=1e-6).all(-2).all(-1)


class _PositiveSemidefinite(_Symmetric):
    def check(self, value: Any) -> Any:
        symmetric = super().check(value)
        if not bool(symmetric.all()):
            return symmetric
        return eager.linalg.eigvalsh(value).ge(0).all(-1)


class _CorrCholesky(Constraint):
    event_dim = 2

    def check(self, value: Any) -> Any:
        tol = eager.finfo(value.dtype).eps * value.size(-1) * 10  # PyTorch's fudge factor
        row_norm = eager.linalg.norm(value.detach(), dim=-1)
        return _LowerCholesky().check(value) & (row_norm - 1.0).abs().le(tol).all(dim=-1)


lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()
lower_triangular = _LowerTriangular()
square = _Square()
symmetric = _Symmetric()
positive_semidefinite = _PositiveSemidefinite()
corr_cholesky = _CorrCholesky()

__all__ = ["lower_cholesky", "positive_definite", "lower_triangular", "square", "symmetric",
           "positive_semidefinite", "corr_cholesky"]
