"""``MultivariateNormal``: a Gaussian over vectors, given its covariance, precision or lower
Cholesky factor (``scale_tril``), computed through that factor as PyTorch does."""

from __future__ import annotations

import math
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .utils import alias, lazy_property


def batch_mv(matrices: Any, vectors: Any) -> Any:
    """Matrix-vector products over broadcast batches."""
    return eager.matmul(matrices, vectors.unsqueeze(-1)).squeeze(-1)


def batch_mahalanobis(tril: Any, x: Any) -> Any:
    """``|tril^-1 x|^2`` for lower-triangular ``tril`` (a Cholesky factor), batched."""
    whitened = eager.linalg.solve_triangular(tril, x.unsqueeze(-1), upper=False).squeeze(-1)
    return whitened.pow(2).sum(-1)


def precision_to_scale_tril(precision: Any) -> Any:
    """The lower Cholesky factor of the covariance, from the precision matrix."""
    # The Cholesky factor of the covariance from the precision's, through flips (as PyTorch):
    # the flipped factor of the flipped precision, inverted against the identity.
    flipped = eager.linalg.cholesky(eager.flip(precision, (-2, -1)))
    inverse_tril = eager.transpose(eager.flip(flipped, (-2, -1)), -2, -1)
    eye = eager.eye(precision.shape[-1], dtype=precision.dtype)
    return eager.linalg.solve_triangular(inverse_tril, eye, upper=False)


class ScaleTrilMatrices:
    """Mixed into the distributions held by a lower Cholesky factor
    ``_unbroadcasted_scale_tril``: ``scale_tril`` and ``covariance_matrix`` broadcast to the
    class's ``_matrix_shape()``, made on first use."""

    @staticmethod
    def _the_one_matrix(covariance_matrix: Any, precision_matrix: Any, scale_tril: Any,
                        error: type) -> tuple:
        """``(name, matrix)`` of the one matrix given; ``error`` when not exactly one."""
        given = [(name, m) for name, m in (("covariance_matrix", covariance_matrix),
                                           ("precision_matrix", precision_matrix),
                                           ("scale_tril", scale_tril)) if m is not None]
        if len(given) != 1:
            raise error("Exactly one of covariance_matrix or precision_matrix or scale_tril "
                        "may be specified.")
        return given[0]

    def _set_factor(self, name: str, matrix: Any) -> None:
        # the lower Cholesky factor of the covariance, from whichever matrix was given
        self._unbroadcasted_scale_tril = (
            matrix if name == "scale_tril" else eager.linalg.cholesky(matrix)
            if name == "covariance_matrix" else precision_to_scale_tril(matrix))

    @lazy_property
    def scale_tril(self) -> Any:
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Any:
        factor = self._unbroadcasted_scale_tril
        return eager.matmul(factor, factor.transpose(-1, -2)).expand(self._matrix_shape())


class MultivariateNormal(ScaleTrilMatrices, Distribution):
    """N(loc, Sigma) over vectors of ``loc.size(-1)``; exactly one of ``covariance_matrix``,
    ``precision_matrix`` and ``scale_tril`` (L with Sigma = L L^T)."""

    arg_constraints = {"loc": constraints.real_vector,
                       "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite,
                       "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True
    _expand_keep = ("_unbroadcasted_scale_tril",)

    def __init__(self, loc: Any, covariance_matrix: Any = None, precision_matrix: Any = None,
                 scale_tril: Any = None, validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        name, matrix = self._the_one_matrix(covariance_matrix, precision_matrix, scale_tril,
                                            ValueError)
        if matrix.dim() < 2:
            raise ValueError(f"{name} matrix must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        batch_shape = tuple(eager.broadcast_shapes(tuple(matrix.shape[:-2]),
                                                   tuple(loc.shape[:-1])))
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        self._set_factor(name, matrix)
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(batch_shape, tuple(self.loc.shape[-1:]), validate_args=validate_args)

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape) + tuple(self._event_shape) * 2

    @lazy_property
    def precision_matrix(self) -> Any:
        factor = self._unbroadcasted_scale_tril
        covariance = eager.matmul(factor, factor.transpose(-1, -2))
        return eager.linalg.inv(covariance).expand(self._matrix_shape())

    mean = mode = alias("loc")

    @property
    def variance(self) -> Any:
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(
            tuple(self._batch_shape) + tuple(self._event_shape))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        eps = eager.empty(shape, dtype=self.loc.dtype).normal_()
        return self.loc + batch_mv(self._unbroadcasted_scale_tril, eps)

    def _half_log_det(self) -> Any:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        mahalanobis = batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return (-0.5 * (self._event_shape[0] * math.log(2 * math.pi) + mahalanobis)
                - self._half_log_det())

    def entropy(self) -> Any:
        entropy = (0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi))
                   + self._half_log_det())
        return entropy if len(self._batch_shape) == 0 else entropy.expand(self._batch_shape)


__all__ = ["MultivariateNormal", "ScaleTrilMatrices", "batch_mv", "batch_mahalanobis",
           "precision_to_scale_tril"]
