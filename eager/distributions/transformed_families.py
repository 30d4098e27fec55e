"""Distributions that PyTorch builds as a `TransformedDistribution` of a simpler one, with its
exact transforms (so seeded samples agree): ``Gumbel`` (a uniform through two logs),
``HalfNormal`` and ``HalfCauchy`` (``|x|``), ``Weibull`` and ``Pareto`` (an exponential
through a power or an exp), ``Kumaraswamy`` (a uniform through powers).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> HalfNormal(eager.tensor([1.0, 2.0])).sample()
    tensor([1.5410, 0.5869])
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .continuous import Cauchy, Exponential, Uniform
from .dirichlet import Beta
from .normal import Normal
from .transformed import TransformedDistribution
from .transforms import AbsTransform, AffineTransform, ExpTransform, PowerTransform
from .utils import broadcast_all, delegated

EULER_CONSTANT = 0.57721566490153286060  # the Euler-Mascheroni constant, as PyTorch's


class Gumbel(TransformedDistribution):
    """The Gumbel (type-I extreme value) distribution around ``loc`` with ``scale``:
    ``loc - scale * log(-log(u))`` for ``u`` uniform."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        finfo = eager.finfo(self.loc.dtype)
        if isinstance(loc, Number) and isinstance(scale, Number):
            base = Uniform(finfo.tiny, 1 - finfo.eps, validate_args=validate_args)
        else:
            base = Uniform(eager.full_like(self.loc, finfo.tiny),
                           eager.full_like(self.loc, 1 - finfo.eps), validate_args=validate_args)
        transforms = [ExpTransform().inv, AffineTransform(0, -eager.ones_like(self.scale)),
                      ExpTransform().inv, AffineTransform(loc, -self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        y = (self.loc - value) / self.scale
        return (y - y.exp()) - self.scale.log()

    @property
    def mean(self) -> Any:
        return self.loc + self.scale * EULER_CONSTANT

    @property
    def mode(self) -> Any:
        return self.loc

    @property
    def stddev(self) -> Any:
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self) -> Any:
        return self.stddev.pow(2)

    def entropy(self) -> Any:
        return self.scale.log() + (1 + EULER_CONSTANT)


class _Folded(TransformedDistribution):
    """``|X|`` for ``X`` of the family ``_unfolded`` centred at 0 with ``scale``: twice the
    base's density on the nonnegative reals."""

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    scale = delegated("base_dist", "scale")
    _unfolded: type = Normal

    def __init__(self, scale: Any, validate_args: bool | None = None) -> None:
        super().__init__(self._unfolded(0, scale, validate_args=False), AbsTransform(),
                         validate_args=validate_args)

    @property
    def mode(self) -> Any:
        return eager.zeros_like(self.scale)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        value = eager.as_tensor(value, dtype=self.base_dist.scale.dtype)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return eager.where(value >= 0, log_prob, -math.inf)

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, value: Any) -> Any:
        return self.base_dist.icdf((value + 1) / 2)

    def entropy(self) -> Any:
        return self.base_dist.entropy() - math.log(2)


class HalfNormal(_Folded):
    """``|X|`` for ``X ~ Normal(0, scale)``."""

    @property
    def mean(self) -> Any:
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def variance(self) -> Any:
        return self.scale.pow(2) * (1 - 2 / math.pi)


class HalfCauchy(_Folded):
    """``|X|`` for ``X ~ Cauchy(0, scale)`` (infinite mean)."""

    _unfolded = Cauchy
    variance = delegated("base_dist", "variance")

    @property
    def mean(self) -> Any:
        return eager.full(self._extended_shape(), math.inf, dtype=self.scale.dtype)


class Weibull(TransformedDistribution):
    """Weibull with ``scale`` (lambda) and ``concentration`` (k): ``scale * E ** (1 / k)``
    for a standard exponential ``E``."""

    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive

    def __init__(self, scale: Any, concentration: Any,
                 validate_args: bool | None = None) -> None:
        self.scale, self.concentration = broadcast_all(scale, concentration)
        self.concentration_reciprocal = self.concentration.reciprocal()
        base = Exponential(eager.ones_like(self.scale), validate_args=validate_args)
        transforms = [PowerTransform(exponent=self.concentration_reciprocal),
                      AffineTransform(loc=0, scale=self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return self.scale * eager.exp(eager.lgamma(1 + self.concentration_reciprocal))

    @property
    def mode(self) -> Any:
        k = self.concentration
        return self.scale * ((k - 1) / k) ** k.reciprocal()

    @property
    def variance(self) -> Any:
        inv = self.concentration_reciprocal
        return self.scale.pow(2) * (eager.exp(eager.lgamma(1 + 2 * inv))
                                    - eager.exp(2 * eager.lgamma(1 + inv)))

    def entropy(self) -> Any:
        inv = self.concentration_reciprocal
        return EULER_CONSTANT * (1 - inv) + eager.log(self.scale * inv) + 1


class Pareto(TransformedDistribution):
    """Pareto type I with ``scale`` (the minimum) and shape ``alpha``: ``scale * exp(E)``
    for ``E ~ Exponential(alpha)``."""

    arg_constraints = {"alpha": constraints.positive, "scale": constraints.positive}

    def __init__(self, scale: Any, alpha: Any, validate_args: bool | None = None) -> None:
        self.scale, self.alpha = broadcast_all(scale, alpha)
        base = Exponential(self.alpha, validate_args=validate_args)
        super().__init__(base, [ExpTransform(), AffineTransform(loc=0, scale=self.scale)],
                         validate_args=validate_args)

    @property
    def mean(self) -> Any:
        a = self.alpha.clamp(min=1)
        return a * self.scale / (a - 1)

    @property
    def mode(self) -> Any:
        return self.scale

    @property
    def variance(self) -> Any:
        a = self.alpha.clamp(min=2)
        return self.scale.pow(2) * a / ((a - 1).pow(2) * (a - 2))

    @property
    def support(self) -> Any:
        return constraints.greater_than_eq(self.scale)

    def entropy(self) -> Any:
        return (self.scale / self.alpha).log() + (1 + self.alpha.reciprocal())


def _kumaraswamy_moment(a: Any, b: Any, n: int) -> Any:
    # E[X^n] = b * B(1 + n / a, b)
    arg1 = 1 + n / a
    return b * eager.exp(eager.lgamma(arg1) + eager.lgamma(b) - eager.lgamma(arg1 + b))


class Kumaraswamy(TransformedDistribution):
    """Kumaraswamy on [0, 1] with ``concentration1`` (a) and ``concentration0`` (b):
    ``(1 - u ** (1 / b)) ** (1 / a)`` for ``u`` uniform."""

    arg_constraints = Beta.arg_constraints  # the same two positive concentrations
    support = Beta.support
    has_rsample = True

    def __init__(self, concentration1: Any, concentration0: Any,
                 validate_args: bool | None = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        base = Uniform(eager.full_like(self.concentration0, 0),
                       eager.full_like(self.concentration0, 1), validate_args=validate_args)
        transforms = [PowerTransform(exponent=self.concentration0.reciprocal()),
                      AffineTransform(loc=1.0, scale=-1.0),
                      PowerTransform(exponent=self.concentration1.reciprocal())]
        super().__init__(base, transforms, validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return _kumaraswamy_moment(self.concentration1, self.concentration0, 1)

    @property
    def mode(self) -> Any:
        a, b = self.concentration1, self.concentration0
        log_mode = b.reciprocal() * (-b).log1p() - (-b * a).log1p()
        return eager.where((b < 1) | (a < 1), math.nan, log_mode).exp()

    @property
    def variance(self) -> Any:
        return (_kumaraswamy_moment(self.concentration1, self.concentration0, 2)
                - self.mean.pow(2))

    def entropy(self) -> Any:
        t1 = 1 - self.concentration1.reciprocal()
        t0 = 1 - self.concentration0.reciprocal()
        h0 = eager.digamma(self.concentration0 + 1) + EULER_CONSTANT
        return t0 + t1 * h0 - eager.log(self.concentration1) - eager.log(self.concentration0)


__all__ = ["Gumbel", "HalfNormal", "HalfCauchy", "Weibull", "Pareto", "Kumaraswamy",
           "EULER_CONSTANT"]
