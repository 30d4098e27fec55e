"""Distributions PyTorch derives from Gamma draws: ``FisherSnedecor`` (a ratio of two scaled
Gammas) and ``InverseGamma`` (a Gamma through ``x ** -1``); both reparameterised through the
Gamma's implicit gradient.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> FisherSnedecor(eager.tensor([4.0]), eager.tensor([6.0])).sample()
    tensor([3.0822])
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .gamma import Gamma
from .transformed import TransformedDistribution
from .transforms import PowerTransform
from .utils import broadcast_all, delegated


class FisherSnedecor(Distribution):
    """Fisher's F with ``df1`` and ``df2`` degrees of freedom: ``(X1 / df1) / (X2 / df2)``
    for chi-squared ``X1``, ``X2``, drawn as PyTorch's two Gammas."""

    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1: Any, df2: Any, validate_args: bool | None = None) -> None:
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        scalar = isinstance(df1, Number) and isinstance(df2, Number)
        super().__init__(() if scalar else self.df1.size(), validate_args=validate_args)

    @property
    def mean(self) -> Any:
        df2 = eager.where(self.df2 <= 2, math.nan, self.df2)
        return df2 / (df2 - 2)

    @property
    def mode(self) -> Any:
        mode = (self.df1 - 2) / self.df1 * self.df2 / (self.df2 + 2)
        return eager.where(self.df1 <= 2, math.nan, mode)

    @property
    def variance(self) -> Any:
        df2 = eager.where(self.df2 <= 4, math.nan, self.df2)
        return (2 * df2.pow(2) * (self.df1 + df2 - 2)
                / (self.df1 * (df2 - 2).pow(2) * (df2 - 4)))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        x1 = self._gamma1.rsample(sample_shape).view(shape)
        x2 = self._gamma2.rsample(sample_shape).view(shape)
        tiny = eager.finfo(x2.dtype).tiny
        # clamped values, gradients as if unclamped (PyTorch clamps in place)
        x2 = x2 + (x2.detach().clamp(min=tiny) - x2.detach())
        y = x1 / x2
        return y + (y.detach().clamp(min=tiny) - y.detach())

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        ct1, ct2, ct3 = self.df1 * 0.5, self.df2 * 0.5, self.df1 / self.df2
        t1 = (ct1 + ct2).lgamma() - ct1.lgamma() - ct2.lgamma()
        t2 = ct1 * ct3.log() + (ct1 - 1) * eager.log(value)
        t3 = (ct1 + ct2) * eager.log1p(ct3 * value)
        return t1 + t2 - t3


class InverseGamma(TransformedDistribution):
    """``1 / X`` for ``X ~ Gamma(concentration, rate)``."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        base = Gamma(concentration, rate, validate_args=validate_args)
        neg_one = -base.rate.new_ones(())
        super().__init__(base, PowerTransform(neg_one), validate_args=validate_args)

    concentration = delegated("base_dist", "concentration")
    rate = delegated("base_dist", "rate")

    @property
    def mean(self) -> Any:
        result = self.rate / (self.concentration - 1)
        return eager.where(self.concentration > 1, result, math.inf)

    @property
    def mode(self) -> Any:
        return self.rate / (self.concentration + 1)

    @property
    def variance(self) -> Any:
        c = self.concentration
        result = self.rate.square() / ((c - 1).square() * (c - 2))
        return eager.where(c > 2, result, math.inf)

    def entropy(self) -> Any:
        c = self.concentration
        return c + self.rate.log() + c.lgamma() - (1 + c) * c.digamma()


__all__ = ["FisherSnedecor", "InverseGamma"]
