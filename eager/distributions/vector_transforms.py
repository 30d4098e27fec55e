"""The transforms of ``torch.distributions.transforms`` that act on whole vectors or matrices:
onto the simplex (``SoftmaxTransform``, ``StickBreakingTransform``), onto Cholesky factors
(of correlation matrices too: ``CorrCholeskyTransform``, a signed stick-breaking of each row
after ``tanh``) and positive-definite matrices, and through a distribution's CDF.

    >>> import eager
    >>> StickBreakingTransform()(eager.zeros(2))
    tensor([0.3333, 0.3333, 0.3333])
"""

from __future__ import annotations

import math
from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .transform_base import Transform
from .utils import clipped_sigmoid, tril_matrix_to_vec, vec_to_tril_matrix


def _at_least_1d(shape: tuple) -> None:
    if len(shape) < 1:
        raise ValueError("Too few dimensions on input")


class _Parameterless(Transform):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self))

    __hash__ = Transform.__hash__


class SoftmaxTransform(_Parameterless):
    """Unconstrained vectors onto the simplex by ``exp`` then normalising (not bijective:
    the inverse is ``log``)."""

    domain = constraints.real_vector
    codomain = constraints.simplex

    def _call(self, x: Any) -> Any:
        probs = (x - x.max(-1, True)[0]).exp()
        return probs / probs.sum(-1, True)

    def _inverse(self, y: Any) -> Any:
        return y.log()

    def forward_shape(self, shape: tuple) -> tuple:
        _at_least_1d(shape)
        return shape

    inverse_shape = forward_shape


def _stick_offset(x: Any) -> Any:
    # K, K-1, ..., 1 for K = x.size(-1): centres the breaks so x = 0 maps to the uniform point
    return x.shape[-1] + 1 - x.new_ones(x.shape[-1]).cumsum(-1)


class StickBreakingTransform(_Parameterless):
    """Vectors of K reals onto the simplex of K + 1 by breaking a stick: each coordinate's
    sigmoid takes that share of what is left (bijective)."""

    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = True

    def _call(self, x: Any) -> Any:
        z = clipped_sigmoid(x - _stick_offset(x).log())
        z_cumprod = (1 - z).cumprod(-1)
        return F.pad(z, [0, 1], value=1) * F.pad(z_cumprod, [1, 0], value=1)

    def _inverse(self, y: Any) -> Any:
        y_crop = y[..., :-1]
        offset = y.shape[-1] - y.new_ones(y_crop.shape[-1]).cumsum(-1)
        remaining = (1 - y_crop.cumsum(-1)).clamp(min=eager.finfo(y.dtype).tiny)
        return y_crop.log() - remaining.log() + offset.log()

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        x = x - _stick_offset(x).log()
        return (-x + F.logsigmoid(x) + y[..., :-1].log()).sum(-1)

    def forward_shape(self, shape: tuple) -> tuple:
        _at_least_1d(shape)
        return tuple(shape[:-1]) + (shape[-1] + 1,)

    def inverse_shape(self, shape: tuple) -> tuple:
        _at_least_1d(shape)
        return tuple(shape[:-1]) + (shape[-1] - 1,)


def _with_diagonal(matrix: Any, diagonal: Any) -> Any:
    # strictly lower part of ``matrix`` plus ``diagonal`` on the diagonal
    eye = eager.eye(matrix.shape[-1], dtype=matrix.dtype)
    return matrix.tril(-1) + diagonal.unsqueeze(-1) * eye


class LowerCholeskyTransform(_Parameterless):
    """Unconstrained matrices onto lower-triangular ones with positive diagonal (``exp`` of
    the diagonal)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky

    def _call(self, x: Any) -> Any:
        return _with_diagonal(x, x.diagonal(dim1=-2, dim2=-1).exp())

    def _inverse(self, y: Any) -> Any:
        return _with_diagonal(y, y.diagonal(dim1=-2, dim2=-1).log())


class PositiveDefiniteTransform(_Parameterless):
    """Unconstrained matrices onto positive-definite ones, ``L L^T`` of their
    `LowerCholeskyTransform`."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.positive_definite

    def _call(self, x: Any) -> Any:
        factor = LowerCholeskyTransform()(x)
        return factor @ factor.mT

    def _inverse(self, y: Any) -> Any:
        return LowerCholeskyTransform().inv(eager.linalg.cholesky(y))


class CumulativeDistributionTransform(Transform):
    """``y = distribution.cdf(x)``, from the distribution's support onto [0, 1]."""

    bijective = True
    codomain = constraints.unit_interval
    sign = 1

    def __init__(self, distribution: Any, cache_size: int = 0) -> None:
        super().__init__(cache_size=cache_size)
        self.distribution = distribution

    @property
    def domain(self) -> Any:  # type: ignore[override]
        return self.distribution.support

    def _call(self, x: Any) -> Any:
        return self.distribution.cdf(x)

    def _inverse(self, y: Any) -> Any:
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return self.distribution.log_prob(x)

    def with_cache(self, cache_size: int = 1) -> Transform:
        if self._cache_size == cache_size:
            return self
        return CumulativeDistributionTransform(self.distribution, cache_size=cache_size)


class CorrCholeskyTransform(Transform):
    """Vectors of D (D - 1) / 2 reals onto D x D lower-triangular matrices with positive
    diagonal and unit rows (Cholesky factors of correlation matrices)."""

    domain = constraints.real_vector
    codomain = constraints.corr_cholesky
    bijective = True

    def _call(self, x: Any) -> Any:
        eps = eager.finfo(x.dtype).eps
        r = vec_to_tril_matrix(eager.tanh(x).clamp(min=-1 + eps, max=1 - eps), diag=-1)
        z1m_cumprod_sqrt = (1 - r ** 2).sqrt().cumprod(-1)
        r = r + eager.eye(r.shape[-1], dtype=r.dtype)
        return r * F.pad(z1m_cumprod_sqrt[..., :-1], [1, 0], value=1)

    def _inverse(self, y: Any) -> Any:
        y_cumsum = 1 - eager.cumsum(y * y, dim=-1)
        y_cumsum_shifted = F.pad(y_cumsum[..., :-1], [1, 0], value=1)
        t = tril_matrix_to_vec(y, diag=-1) / tril_matrix_to_vec(y_cumsum_shifted, diag=-1).sqrt()
        return (t.log1p() - t.neg().log1p()) / 2

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        y1m_cumsum = 1 - (y * y).cumsum(dim=-1)
        stick_breaking = 0.5 * tril_matrix_to_vec(y1m_cumsum, diag=-2).log().sum(-1)
        tanh = -2 * (x + F.softplus(-2 * x) - math.log(2.0)).sum(dim=-1)
        return stick_breaking + tanh

    def forward_shape(self, shape: tuple) -> tuple:
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        n = shape[-1]
        d = round((0.25 + 2 * n) ** 0.5 + 0.5)
        if d * (d - 1) // 2 != n:
            raise ValueError("Input is not a flattened lower-diagonal number")
        return tuple(shape[:-1]) + (d, d)

    def inverse_shape(self, shape: tuple) -> tuple:
        if len(shape) < 2:
            raise ValueError("Too few dimensions on input")
        if shape[-2] != shape[-1]:
            raise ValueError("Input is not square")
        d = shape[-1]
        return tuple(shape[:-2]) + (d * (d - 1) // 2,)



__all__ = ["CorrCholeskyTransform", "SoftmaxTransform", "StickBreakingTransform",
           "LowerCholeskyTransform", "PositiveDefiniteTransform", "CumulativeDistributionTransform"]
