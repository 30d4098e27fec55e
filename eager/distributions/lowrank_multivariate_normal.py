"""``LowRankMultivariateNormal``: a Gaussian over vectors whose covariance is
``cov_factor @ cov_factor.T + diag(cov_diag)``, as PyTorch's: densities through the Woodbury
identity and the matrix determinant lemma on the small "capacitance" matrix
``I + W^T D^-1 W``, samples as ``loc + W eps_W + sqrt(D) eps_D`` (two normal draws, in
PyTorch's order).

    >>> import eager
    >>> d = LowRankMultivariateNormal(eager.zeros(2), eager.tensor([[1.0], [0.0]]), eager.ones(2))
    >>> d.covariance_matrix
    tensor([[2., 0.],
            [0., 1.]])
"""

from __future__ import annotations

import math
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .multivariate_normal import batch_mahalanobis, batch_mv
from .utils import alias, lazy_property


def _plus_identity(matrix: Any) -> Any:
    return matrix + eager.eye(matrix.shape[-1], dtype=matrix.dtype)


def _capacitance_tril(w: Any, d: Any) -> Any:
    # the Cholesky factor of I + W^T D^-1 W
    return eager.linalg.cholesky(_plus_identity(eager.matmul(w.mT / d.unsqueeze(-2), w)))


def lowrank_logdet(w: Any, d: Any, capacitance_tril: Any) -> Any:
    """``log|W W^T + D|`` by the matrix determinant lemma: ``log|C| + log|D|``."""
    return (2 * capacitance_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
            + d.log().sum(-1))


def lowrank_mahalanobis(w: Any, d: Any, x: Any, capacitance_tril: Any) -> Any:
    """``x^T (W W^T + D)^-1 x`` by Woodbury: ``x^T D^-1 x - |C^-1 W^T D^-1 x|^2``."""
    wt_dinv_x = batch_mv(w.mT / d.unsqueeze(-2), x)
    return (x.pow(2) / d).sum(-1) - batch_mahalanobis(capacitance_tril, wt_dinv_x)


class LowRankMultivariateNormal(Distribution):
    """N(loc, W W^T + diag(D)) for ``cov_factor`` W (n x rank) and ``cov_diag`` D."""

    arg_constraints = {"loc": constraints.real_vector,
                       "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True
    _expand_keep = ("_unbroadcasted_cov_factor", "_unbroadcasted_cov_diag",
                    "_capacitance_tril")

    def __init__(self, loc: Any, cov_factor: Any, cov_diag: Any,
                 validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        event_shape = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError("cov_factor must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        if cov_factor.shape[-2:-1] != event_shape:
            raise ValueError(f"cov_factor must be a batch of matrices with shape "
                             f"{event_shape[0]} x m")
        if cov_diag.shape[-1:] != event_shape:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {event_shape}")
        try:
            loc_, self.cov_factor, cov_diag_ = eager.broadcast_tensors(
                loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1))
        except (RuntimeError, ValueError) as error:
            raise ValueError(f"Incompatible batch shapes: loc {loc.shape}, cov_factor "
                             f"{cov_factor.shape}, cov_diag {cov_diag.shape}") from error
        self.loc, self.cov_diag = loc_[..., 0], cov_diag_[..., 0]
        self._unbroadcasted_cov_factor = cov_factor
        self._unbroadcasted_cov_diag = cov_diag
        self._capacitance_tril = _capacitance_tril(cov_factor, cov_diag)
        super().__init__(self.loc.shape[:-1], event_shape, validate_args=validate_args)

    mean = mode = alias("loc")

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape) + tuple(self._event_shape) * 2

    @lazy_property
    def variance(self) -> Any:
        return (self._unbroadcasted_cov_factor.pow(2).sum(-1)
                + self._unbroadcasted_cov_diag).expand(self._batch_shape + self._event_shape)

    @lazy_property
    def scale_tril(self) -> Any:
        diag_sqrt = self._unbroadcasted_cov_diag.sqrt().unsqueeze(-1)
        dinvsqrt_w = self._unbroadcasted_cov_factor / diag_sqrt
        k = _plus_identity(eager.matmul(dinvsqrt_w, dinvsqrt_w.mT))
        return (diag_sqrt * eager.linalg.cholesky(k)).expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Any:
        w = self._unbroadcasted_cov_factor
        diag = self._unbroadcasted_cov_diag
        eye = eager.eye(diag.shape[-1], dtype=diag.dtype)
        return (eager.matmul(w, w.mT) + diag.unsqueeze(-1) * eye).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self) -> Any:
        diag = self._unbroadcasted_cov_diag
        wt_dinv = self._unbroadcasted_cov_factor.mT / diag.unsqueeze(-2)
        a = eager.linalg.solve_triangular(self._capacitance_tril, wt_dinv, upper=False)
        eye = eager.eye(diag.shape[-1], dtype=diag.dtype)
        return (diag.reciprocal().unsqueeze(-1) * eye - a.mT @ a).expand(self._matrix_shape())

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        w_shape = tuple(shape[:-1]) + tuple(self.cov_factor.shape[-1:])
        eps_w = eager.empty(w_shape, dtype=self.loc.dtype).normal_()
        eps_d = eager.empty(shape, dtype=self.loc.dtype).normal_()
        return (self.loc + batch_mv(self._unbroadcasted_cov_factor, eps_w)
                + self._unbroadcasted_cov_diag.sqrt() * eps_d)

    def _log_det(self) -> Any:
        return lowrank_logdet(self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag,
                               self._capacitance_tril)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        m = lowrank_mahalanobis(self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag,
                                 value - self.loc, self._capacitance_tril)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + self._log_det() + m)

    def entropy(self) -> Any:
        h = 0.5 * (self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._log_det())
        return h if len(self._batch_shape) == 0 else h.expand(self._batch_shape)


__all__ = ["LowRankMultivariateNormal", "lowrank_logdet", "lowrank_mahalanobis"]
