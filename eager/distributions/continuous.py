"""Continuous distributions with closed forms and one-draw samplers: ``Uniform``,
``Exponential``, ``Laplace`` and ``Cauchy`` (each draws PyTorch's stream: ``rand``,
``exponential_``, ``uniform_``, ``cauchy_``)."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .normal import LocationScale
from .utils import broadcast_all


def _batch_shape(values: tuple, params: tuple) -> tuple:
    return () if all(isinstance(p, Number) for p in params) else tuple(values[0].size())


class Uniform(Distribution):
    """Uniform on the half-open interval [low, high)."""

    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(_batch_shape((self.low,), (low, high)), validate_args=validate_args)

    @property
    def arg_constraints(self) -> dict:  # type: ignore[override]
        """Each bound is constrained by the other (low < high)."""
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @property
    def support(self) -> Any:
        return constraints.interval(self.low, self.high)

    @property
    def mean(self) -> Any:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Any:
        return float("nan") * self.high

    @property
    def stddev(self) -> Any:
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self) -> Any:
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        rand = eager.rand(shape, dtype=self.low.dtype)
        return self.low + rand * (self.high - self.low)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return eager.log(lb.mul(ub)) - eager.log(self.high - self.low)

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Any) -> Any:
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Any:
        return eager.log(self.high - self.low)


class Exponential(ExponentialFamily):
    """The exponential distribution with ``rate`` (mean ``1 / rate``)."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(_batch_shape((self.rate,), (rate,)), validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return self.rate.reciprocal()

    @property
    def mode(self) -> Any:
        return eager.zeros_like(self.rate)

    @property
    def stddev(self) -> Any:
        return self.rate.reciprocal()

    @property
    def variance(self) -> Any:
        return self.rate.pow(-2)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        return eager.empty(shape, dtype=self.rate.dtype).exponential_() / self.rate

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return 1 - eager.exp(-self.rate * value)

    def icdf(self, value: Any) -> Any:
        return -eager.log1p(-value) / self.rate

    def entropy(self) -> Any:
        return 1.0 - eager.log(self.rate)

    _mean_carrier_measure = 0

    @property
    def _natural_params(self) -> tuple:
        return (-self.rate,)

    def _log_normalizer(self, x: Any) -> Any:
        return -eager.log(-x)


class Laplace(LocationScale):
    """The Laplace (double exponential) distribution around ``loc`` with ``scale``."""

    @property
    def stddev(self) -> Any:
        return 2 ** 0.5 * self.scale

    @property
    def variance(self) -> Any:
        return 2 * self.scale.pow(2)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        u = eager.empty(shape, dtype=self.loc.dtype).uniform_(
            eager.finfo(self.loc.dtype).eps - 1, 1)
        return self.loc - self.scale * u.sign() * eager.log1p(-u.abs())

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return -eager.log(2 * self.scale) - eager.abs(value - self.loc) / self.scale

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 - 0.5 * (value - self.loc).sign() * eager.expm1(
            -(value - self.loc).abs() / self.scale)

    def icdf(self, value: Any) -> Any:
        term = value - 0.5
        return self.loc - self.scale * term.sign() * eager.log1p(-2 * term.abs())

    def entropy(self) -> Any:
        return 1 + eager.log(2 * self.scale)


class Cauchy(LocationScale):
    """The Cauchy (Lorentz) distribution: median ``loc``, half width ``scale``; no mean."""

    @property
    def mean(self) -> Any:
        return eager.full(self._extended_shape(), float("nan"), dtype=self.loc.dtype)

    @property
    def variance(self) -> Any:
        return eager.full(self._extended_shape(), float("inf"), dtype=self.loc.dtype)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        eps = eager.empty(self._extended_shape(sample_shape), dtype=self.loc.dtype).cauchy_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return (-math.log(math.pi) - self.scale.log()
                - (((value - self.loc) / self.scale) ** 2).log1p())

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        return eager.atan2(z, eager.ones_like(z)) / math.pi + 0.5

    def icdf(self, value: Any) -> Any:
        angle = math.pi * (value - 0.5)
        return angle.sin() / angle.cos() * self.scale + self.loc

    def entropy(self) -> Any:
        return math.log(4 * math.pi) + self.scale.log()


__all__ = ["Uniform", "Exponential", "Laplace", "Cauchy"]
