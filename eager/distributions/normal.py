"""The normal (Gaussian) distribution, ``torch.distributions.Normal``: sampling draws from
PyTorch's stream (``normal``), so a seeded program samples the same numbers."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .utils import alias, broadcast_all


class LocationScale(Distribution):
    """A family over the reals shifted by ``loc`` and stretched by ``scale`` (broadcast
    together), which is also its mean and mode."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    mean = mode = alias("loc")

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        scalar = isinstance(loc, Number) and isinstance(scale, Number)
        super().__init__(() if scalar else self.loc.size(), validate_args=validate_args)


class Normal(LocationScale, ExponentialFamily):
    """N(loc, scale^2), batched over the broadcast shape of ``loc`` and ``scale``."""

    stddev = alias("scale")

    @property
    def variance(self) -> Any:
        return self.stddev.pow(2)

    def sample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        with eager.no_grad():
            return eager.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        """``loc + eps * scale`` with standard normal ``eps``: differentiable in both."""
        shape = self._extended_shape(sample_shape)
        eps = eager.empty(shape, dtype=self.loc.dtype).normal_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale ** 2
        return (-((value - self.loc) ** 2) / (2 * var) - self.scale.log()
                - math.log(math.sqrt(2 * math.pi)))

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + eager.erf((value - self.loc) * self.scale.reciprocal()
                                    / math.sqrt(2)))

    def icdf(self, value: Any) -> Any:
        return self.loc + self.scale * eager.erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Any:
        return 0.5 + 0.5 * math.log(2 * math.pi) + eager.log(self.scale)

    _mean_carrier_measure = 0

    @property
    def _natural_params(self) -> tuple:
        return (self.loc / self.scale.pow(2), -0.5 * self.scale.pow(2).reciprocal())

    def _log_normalizer(self, x: Any, y: Any) -> Any:
        return -0.25 * x.pow(2) / y + 0.5 * eager.log(-math.pi / y)


__all__ = ["LocationScale", "Normal"]
