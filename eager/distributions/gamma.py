"""The Gamma distribution, its special case Chi2 and Student's t built on it, as
``torch.distributions.Gamma``, ``Chi2`` and ``StudentT``: densities, moments and entropy
from eager ops (``lgamma``, ``digamma``, ``xlogy``); ``sample`` draws PyTorch's numbers
(ATen's Marsaglia–Tsang sampler over its stream).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> Gamma(eager.tensor([2.0]), eager.tensor([1.0])).sample()
    tensor([4.5526])
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .rejection import rsample_standard_gamma
from .utils import broadcast_all


class Gamma(ExponentialFamily):
    """Gamma with shape ``concentration`` and inverse scale ``rate`` (mean ``c / rate``)."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        scalar = isinstance(concentration, Number) and isinstance(rate, Number)
        super().__init__(() if scalar else self.concentration.size(),
                         validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return self.concentration / self.rate

    @property
    def mode(self) -> Any:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Any:
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        """Gamma draws, differentiable through PyTorch's implicit gradient."""
        shape = self._extended_shape(sample_shape)
        value = rsample_standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        # clamped away from 0 without touching the gradient (PyTorch clamps a detached alias)
        return value + (value.detach().clamp(min=eager.finfo(value.dtype).tiny)
                        - value.detach())

    def log_prob(self, value: Any) -> Any:
        value = eager.as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        return (eager.xlogy(self.concentration, self.rate)
                + eager.xlogy(self.concentration - 1, value)
                - self.rate * value - eager.lgamma(self.concentration))

    def cdf(self, value: Any) -> Any:
        """P(X <= value): the regularized lower incomplete gamma function of ``rate * value``."""
        if self._validate_args:
            self._validate_sample(value)
        return eager.special.gammainc(self.concentration, self.rate * value)

    def entropy(self) -> Any:
        c = self.concentration
        return c - eager.log(self.rate) + eager.lgamma(c) + (1.0 - c) * eager.digamma(c)

    _mean_carrier_measure = 0

    @property
    def _natural_params(self) -> tuple:
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, x: Any, y: Any) -> Any:
        return eager.lgamma(x + 1) + (x + 1) * eager.log(-y.reciprocal())


class Chi2(Gamma):
    """The chi-squared distribution with ``df`` degrees of freedom: Gamma(df / 2, 1 / 2)."""

    arg_constraints = {"df": constraints.positive}

    def __init__(self, df: Any, validate_args: bool | None = None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    @property
    def df(self) -> Any:
        """The degrees of freedom (``2 * concentration``)."""
        return self.concentration * 2



class StudentT(Distribution):
    """Student's t with ``df`` degrees of freedom, shifted by ``loc`` and scaled by ``scale``.
    ``sample`` draws as PyTorch: a standard normal over the square root of Chi2(df) / df."""

    arg_constraints = {"df": constraints.positive, "loc": constraints.real,
                       "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df: Any, loc: Any = 0.0, scale: Any = 1.0,
                 validate_args: bool | None = None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super().__init__(self.df.size(), validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return eager.where(self.df <= 1, float("nan"), self.loc)

    @property
    def mode(self) -> Any:
        return self.loc

    @property
    def variance(self) -> Any:
        df = self.df
        finite = self.scale.pow(2) * df / (df - 2)
        # undefined (nan) for df <= 1, infinite for 1 < df <= 2
        return eager.where(df > 2, finite, eager.where(df > 1, float("inf"), float("nan")))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        x = eager.empty(shape, dtype=self.df.dtype).normal_()
        z = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (x * eager.rsqrt(z / self.df))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        df = self.df
        y = (value - self.loc) / self.scale
        z = (self.scale.log() + 0.5 * df.log() + 0.5 * math.log(math.pi)
             + eager.lgamma(0.5 * df) - eager.lgamma(0.5 * (df + 1.0)))
        return -0.5 * (df + 1.0) * eager.log1p(y.pow(2) / df) - z

    def entropy(self) -> Any:
        df = self.df
        lbeta = eager.lgamma(0.5 * df) + math.lgamma(0.5) - eager.lgamma(0.5 * (df + 1))
        return (self.scale.log()
                + 0.5 * (df + 1) * (eager.digamma(0.5 * (df + 1)) - eager.digamma(0.5 * df))
                + 0.5 * df.log() + lbeta)


__all__ = ["Gamma", "Chi2", "StudentT"]
