"""``Wishart``, the distribution of ``sum_i x_i x_i^T`` for ``df`` Gaussian vectors of
covariance Sigma, as ``torch.distributions.Wishart``: sampled by Bartlett's decomposition
(Chi2 diagonals, normal lower entries, in PyTorch's order) with PyTorch's redraw of the
samples its check flags (which, as in torch 2.13, flags the valid ones: every call draws twice
and warns), densities through the Cholesky factor.

    >>> import eager
    >>> Wishart(eager.tensor(3.0), covariance_matrix=eager.eye(2)).log_prob(eager.eye(2))
    tensor(-3.5310)
"""

from __future__ import annotations

import math
import warnings
from numbers import Number
from typing import Any

import numpy as np

import eager

from . import constraints
from .exp_family import ExponentialFamily
from .gamma import Chi2
from .multivariate_normal import ScaleTrilMatrices
from .utils import lazy_property, vec_to_tril_matrix

_LOG_2 = math.log(2)


def _mvdigamma(x: Any, p: int) -> Any:
    if not bool(x.gt((p - 1) / 2).all()):
        raise AssertionError("Wrong domain for multivariate digamma function.")
    offsets = eager.arange(p, dtype=x.dtype).div(2).expand(tuple(x.shape) + (-1,))
    return eager.digamma(x.unsqueeze(-1) - offsets).sum(-1)


def _cholesky_solve(b: Any, tril: Any) -> Any:
    # (L L^T)^-1 b solved against the product, so the gradient reaches every entry of L as
    # torch.cholesky_solve's does (triangular solves would read, and differentiate, only the
    # lower triangle)
    return eager.linalg.solve(tril @ tril.transpose(-2, -1), b)


class Wishart(ScaleTrilMatrices, ExponentialFamily):
    """Wishart over positive-definite matrices with ``df`` degrees of freedom and one of
    ``covariance_matrix``, ``precision_matrix`` or ``scale_tril``."""

    support = constraints.positive_definite
    has_rsample = True
    _mean_carrier_measure = 0
    _expand_keep = ("_unbroadcasted_scale_tril",)

    @property
    def arg_constraints(self) -> dict:  # type: ignore[override]
        """The matrix constraints, and ``df > p - 1``."""
        return {"covariance_matrix": constraints.positive_definite,
                "precision_matrix": constraints.positive_definite,
                "scale_tril": constraints.lower_cholesky,
                "df": constraints.greater_than(self.event_shape[-1] - 1)}

    def __init__(self, df: Any, covariance_matrix: Any = None, precision_matrix: Any = None,
                 scale_tril: Any = None, validate_args: bool | None = None) -> None:
        name, param = self._the_one_matrix(covariance_matrix, precision_matrix, scale_tril,
                                           AssertionError)
        if param.dim() < 2:
            raise ValueError("scale_tril must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        if isinstance(df, Number):
            batch_shape = tuple(param.shape[:-2])
            self.df = eager.tensor(df, dtype=param.dtype)
        else:
            batch_shape = tuple(eager.broadcast_shapes(tuple(param.shape[:-2]),
                                                       tuple(df.shape)))
            self.df = df.expand(batch_shape)
        p = param.shape[-1]
        if bool(self.df.le(p - 1).any()):
            raise ValueError(f"Value of df={df} expected to be greater than ndim - 1 = {p - 1}.")
        setattr(self, name, param.expand(batch_shape + (-1, -1)))
        if bool(self.df.lt(p).any()):
            warnings.warn("Low df values detected. Singular samples are highly likely to occur "
                          "for ndim - 1 < df < ndim.", stacklevel=2)
        super().__init__(batch_shape, tuple(param.shape[-2:]), validate_args=validate_args)
        self._set_factor(name, param)
        self._dist_chi2 = self._chi2()

    def _chi2(self) -> Chi2:
        # the Bartlett diagonal: chi-squared with df, df - 1, ..., df - p + 1 degrees
        p = self._event_shape[-1]
        steps = eager.arange(p, dtype=self._unbroadcasted_scale_tril.dtype)
        return Chi2(df=self.df.unsqueeze(-1) - steps.expand(tuple(self._batch_shape) + (-1,)))

    def expand(self, batch_shape: tuple, _instance: Any = None) -> Wishart:
        new = super().expand(batch_shape, _instance)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril.expand(
            tuple(batch_shape) + tuple(self.event_shape))
        new._dist_chi2 = new._chi2()
        return new

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape) + tuple(self._event_shape)

    @lazy_property
    def precision_matrix(self) -> Any:
        eye = eager.eye(self._event_shape[-1], dtype=self._unbroadcasted_scale_tril.dtype)
        return _cholesky_solve(eye, self._unbroadcasted_scale_tril).expand(self._matrix_shape())

    def _df_matrix(self) -> Any:
        return self.df.view(tuple(self._batch_shape) + (1, 1))

    @property
    def mean(self) -> Any:
        return self._df_matrix() * self.covariance_matrix

    @property
    def mode(self) -> Any:
        factor = self.df - self.covariance_matrix.shape[-1] - 1
        factor = eager.where(factor <= 0, math.nan, factor)
        return factor.view(tuple(self._batch_shape) + (1, 1)) * self.covariance_matrix

    @property
    def variance(self) -> Any:
        v = self.covariance_matrix
        diag = v.diagonal(dim1=-2, dim2=-1)
        return self._df_matrix() * (v.pow(2) + diag.unsqueeze(-1) * diag.unsqueeze(-2))

    def _bartlett_sampling(self, sample_shape: tuple) -> Any:
        p = self._event_shape[-1]
        diag = self._dist_chi2.rsample(sample_shape).sqrt()
        diag = diag.clamp(min=eager.finfo(diag.dtype).eps)
        lower = eager.randn(tuple(sample_shape) + tuple(self._batch_shape) + (p * (p - 1) // 2,),
                            dtype=diag.dtype)
        noise = vec_to_tril_matrix(lower, diag=-1) + diag.unsqueeze(-1) * eager.eye(
            p, dtype=diag.dtype)
        chol = self._unbroadcasted_scale_tril @ noise
        return chol @ chol.transpose(-2, -1)

    def _flagged(self, sample: Any) -> np.ndarray:
        # PyTorch's flag per sample (any batch member); it reads the support check itself
        flags = self.support.check(sample)
        if self._batch_shape:
            flags = flags.reshape(*flags.shape[:flags.dim() - len(self._batch_shape)], -1)
            flags = flags.amax(-1)
        return flags.numpy().astype(bool)

    def rsample(self, sample_shape: tuple = (), max_try_correction: int | None = None) -> Any:
        """Bartlett samples, redrawn where flagged (up to ``max_try_correction`` times)."""
        max_try_correction = 10 if max_try_correction is None else max_try_correction
        sample_shape = tuple(sample_shape)
        sample = self._bartlett_sampling(sample_shape)
        flagged = self._flagged(sample)  # as in torch 2.13: True where the sample is valid
        if flagged.any():
            warnings.warn("Singular sample detected.", stacklevel=2)
            for _ in range(max_try_correction):
                new = self._bartlett_sampling((int(flagged.sum()),))
                where = eager.tensor(flagged).reshape(flagged.shape + (1,) * (
                    len(self._batch_shape) + 2)).expand(tuple(sample.shape))
                sample = sample.masked_scatter(where, new)
                still = ~self.support.check(new)
                if self._batch_shape:
                    still = still.reshape(still.shape[0], -1).amax(-1)
                flagged[flagged.copy()] = still.numpy().astype(bool)
                if not flagged.any():
                    break
        return sample

    def _half_log_det(self) -> Any:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        nu, p = self.df, self._event_shape[-1]
        trace = _cholesky_solve(value, self._unbroadcasted_scale_tril).diagonal(
            dim1=-2, dim2=-1).sum(dim=-1)
        return (-nu * (p * _LOG_2 / 2 + self._half_log_det())
                - eager.special.multigammaln(nu / 2, p)
                + (nu - p - 1) / 2 * eager.linalg.slogdet(value).logabsdet - trace / 2)

    def entropy(self) -> Any:
        nu, p = self.df, self._event_shape[-1]
        return ((p + 1) * (p * _LOG_2 / 2 + self._half_log_det())
                + eager.special.multigammaln(nu / 2, p)
                - (nu - p - 1) / 2 * _mvdigamma(nu / 2, p) + nu * p / 2)

    @property
    def _natural_params(self) -> tuple:
        return -self.precision_matrix / 2, (self.df - self._event_shape[-1] - 1) / 2

    def _log_normalizer(self, x: Any, y: Any) -> Any:
        p = self._event_shape[-1]
        return ((y + (p + 1) / 2) * (-eager.linalg.slogdet(-2 * x).logabsdet + _LOG_2 * p)
                + eager.special.multigammaln(y + (p + 1) / 2, p))


__all__ = ["Wishart"]
