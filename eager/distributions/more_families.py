"""Three more of ``torch.distributions``' families: ``LogisticNormal`` (a Normal through the
stick-breaking map onto the simplex), ``GeneralizedPareto`` (sampled by its inverse CDF over
``rand``) and ``OneHotCategoricalStraightThrough`` (one-hot samples whose gradient is the
probabilities', Bengio et al. 2013).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> LogisticNormal(eager.zeros(2), eager.ones(2)).sample()
    tensor([0.7001, 0.1281, 0.1718])
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints
from .categorical import OneHotCategorical
from .distribution import Distribution
from .normal import Normal
from .transformed import TransformedDistribution
from .transforms import StickBreakingTransform
from .utils import alias, broadcast_all


class LogisticNormal(TransformedDistribution):
    """``StickBreakingTransform`` of ``Normal(loc, scale)``: K normals onto the simplex of
    K + 1."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        base = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand([1])
        super().__init__(base, StickBreakingTransform(), validate_args=validate_args)

    @property
    def loc(self) -> Any:
        """The base Normal's ``loc``."""
        return self.base_dist.base_dist.loc

    @property
    def scale(self) -> Any:
        """The base Normal's ``scale``."""
        return self.base_dist.base_dist.scale


class GeneralizedPareto(Distribution):
    """The generalized Pareto distribution from ``loc`` with ``scale`` and shape
    ``concentration`` (exponential at 0, bounded above when negative)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive,
                       "concentration": constraints.real}
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, concentration: Any,
                 validate_args: bool | None = None) -> None:
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        scalar = all(isinstance(v, Number) for v in (loc, scale, concentration))
        super().__init__(() if scalar else self.loc.size(), validate_args=validate_args)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        return self.icdf(eager.rand(self._extended_shape(sample_shape), dtype=self.loc.dtype))

    def _safe_concentration(self, zero: Any = None) -> tuple:
        # (whether the shape is 0, the shape with 0 replaced by 1 to keep the other branch
        # finite). PyTorch's densities compare with a default-dtype 0, so in float64 they
        # raise its dtype-mismatch RuntimeError (unless float64 is the default); icdf compares
        # with a 0 of the parameter's dtype.
        zero = eager.tensor(0.0) if zero is None else zero
        at_zero = eager.isclose(self.concentration, zero)
        return at_zero, eager.where(at_zero, eager.ones_like(self.concentration),
                                    self.concentration)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        at_zero, safe = self._safe_concentration()
        y = 1 / safe + eager.ones_like(z)
        nonzero = eager.where(y == 0, y, y * eager.log1p(safe * z))
        return -self.scale.log() - eager.where(at_zero, z, nonzero)

    def log_survival_function(self, value: Any) -> Any:
        """``log(1 - cdf(value))``."""
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        at_zero, safe = self._safe_concentration()
        return eager.where(at_zero, -z, -eager.log1p(safe * z) / safe)

    def log_cdf(self, value: Any) -> Any:
        """``log(cdf(value))``."""
        return eager.log1p(-eager.exp(self.log_survival_function(value)))

    def cdf(self, value: Any) -> Any:
        return eager.exp(self.log_cdf(value))

    def icdf(self, value: Any) -> Any:
        at_zero, safe = self._safe_concentration(eager.zeros_like(self.concentration))
        logu = eager.log1p(-value)
        nonzero = self.loc + self.scale / safe * eager.expm1(-safe * logu)
        return eager.where(at_zero, self.loc - self.scale * logu, nonzero)

    @property
    def mean(self) -> Any:
        valid = self.concentration < 1
        safe = eager.where(valid, self.concentration, 0.5)
        return eager.where(valid, self.loc + self.scale / (1 - safe), math.nan)

    @property
    def variance(self) -> Any:
        valid = self.concentration < 0.5
        safe = eager.where(valid, self.concentration, 0.25)
        result = self.scale ** 2 / ((1 - safe) ** 2 * (1 - 2 * safe))
        return eager.where(valid, result, math.nan)

    def entropy(self) -> Any:
        return eager.broadcast_to(eager.log(self.scale) + self.concentration + 1,
                                  tuple(self._batch_shape))

    mode = alias("loc")

    @property
    def support(self) -> Any:
        upper = eager.where(self.concentration < 0, self.loc - self.scale / self.concentration,
                            math.inf)
        return constraints.interval(self.loc, upper)


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """`OneHotCategorical` whose ``rsample`` is the one-hot sample in value and the
    probabilities in gradient (the straight-through estimator)."""

    has_rsample = True

    def rsample(self, sample_shape: tuple = ()) -> Any:
        samples = self.sample(sample_shape)
        probs = self._categorical.probs
        return samples + (probs - probs.detach())


__all__ = ["LogisticNormal", "GeneralizedPareto", "OneHotCategoricalStraightThrough"]
