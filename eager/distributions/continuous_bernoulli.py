"""``ContinuousBernoulli``: the density on [0, 1] proportional to ``p^x (1-p)^(1-x)``
(Loaiza-Ganem & Cunningham, 2019), as ``torch.distributions.ContinuousBernoulli``, with
PyTorch's Taylor expansions inside its unstable region around ``p = 1/2`` (``lims``) and its
inverse-CDF sampler over ``rand``.

    >>> import eager
    >>> ContinuousBernoulli(probs=eager.tensor([0.2, 0.5])).mean
    tensor([0.3880, 0.5000])
"""

from __future__ import annotations

import math
from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .binary import BinaryParameters
from .exp_family import ExponentialFamily
from .utils import (
    broadcast_all,
    clamp_probs,
    lazy_property,
    logits_to_probs,
)


class ContinuousBernoulli(BinaryParameters, ExponentialFamily):
    """A continuous distribution on [0, 1] given ``probs`` in (0, 1) or ``logits``."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, probs: Any = None, logits: Any = None,
                 lims: tuple[float, float] = (0.499, 0.501),
                 validate_args: bool | None = None) -> None:
        batch_shape = self._take_parameter(probs, logits)
        if probs is not None:
            if validate_args is not None and not bool(
                    self.arg_constraints["probs"].check(self.probs).all()):
                raise ValueError("The parameter probs has invalid values")
            self.probs = self._param = clamp_probs(self.probs)
        self._lims = lims
        super().__init__(batch_shape, validate_args=validate_args)

    @lazy_property
    def probs(self) -> Any:
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    def _outside_unstable_region(self) -> Any:
        return (self.probs <= self._lims[0]) | (self.probs > self._lims[1])

    def _cut_probs(self) -> Any:
        return eager.where(self._outside_unstable_region(), self.probs,
                           self._lims[0] * eager.ones_like(self.probs))

    def _cont_bern_log_norm(self) -> Any:
        cut = self._cut_probs()
        below_half = eager.where(cut <= 0.5, cut, eager.zeros_like(cut))
        above_half = eager.where(cut >= 0.5, cut, eager.ones_like(cut))
        log_norm = eager.log(eager.abs(eager.log1p(-cut) - eager.log(cut))) - eager.where(
            cut <= 0.5, eager.log1p(-2.0 * below_half), eager.log(2.0 * above_half - 1.0))
        x = (self.probs - 0.5).pow(2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return eager.where(self._outside_unstable_region(), log_norm, taylor)

    @property
    def mean(self) -> Any:
        cut = self._cut_probs()
        mus = cut / (2.0 * cut - 1.0) + 1.0 / (eager.log1p(-cut) - eager.log(cut))
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * x.pow(2)) * x
        return eager.where(self._outside_unstable_region(), mus, taylor)

    @property
    def variance(self) -> Any:
        cut = self._cut_probs()
        variances = (cut * (cut - 1.0) / (1.0 - 2.0 * cut).pow(2)
                     + 1.0 / (eager.log1p(-cut) - eager.log(cut)).pow(2))
        x = (self.probs - 0.5).pow(2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return eager.where(self._outside_unstable_region(), variances, taylor)

    def sample(self, sample_shape: tuple = ()) -> Any:
        u = eager.rand(self._extended_shape(sample_shape), dtype=self.probs.dtype)
        with eager.no_grad():
            return self.icdf(u)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        return self.icdf(eager.rand(self._extended_shape(sample_shape), dtype=self.probs.dtype))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return (-F.binary_cross_entropy_with_logits(logits, value, reduction="none")
                + self._cont_bern_log_norm())

    def cdf(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        cut = self._cut_probs()
        cdfs = (cut.pow(value) * (1.0 - cut).pow(1.0 - value) + cut - 1.0) / (2.0 * cut - 1.0)
        unbounded = eager.where(self._outside_unstable_region(), cdfs, value)
        return eager.where(value <= 0.0, eager.zeros_like(value),
                           eager.where(value >= 1.0, eager.ones_like(value), unbounded))

    def icdf(self, value: Any) -> Any:
        cut = self._cut_probs()
        inverse = ((eager.log1p(-cut + value * (2.0 * cut - 1.0)) - eager.log1p(-cut))
                   / (eager.log(cut) - eager.log1p(-cut)))
        return eager.where(self._outside_unstable_region(), inverse, value)

    _mean_carrier_measure = 0

    @property
    def _natural_params(self) -> tuple:
        return (self.logits,)

    def _log_normalizer(self, x: Any) -> Any:
        # log((e^x - 1) / x), by its Taylor series inside the unstable region around 0
        outside = (x <= self._lims[0] - 0.5) | (x > self._lims[1] - 0.5)
        cut = eager.where(outside, x, (self._lims[0] - 0.5) * eager.ones_like(x))
        log_norm = eager.log(eager.abs(eager.expm1(cut))) - eager.log(eager.abs(cut))
        taylor = 0.5 * x + x.pow(2) / 24.0 - x.pow(4) / 2880.0
        return eager.where(outside, log_norm, taylor)

    def entropy(self) -> Any:
        log_probs0, log_probs1 = eager.log1p(-self.probs), eager.log(self.probs)
        return (self.mean * (log_probs0 - log_probs1) - self._cont_bern_log_norm()
                - log_probs0)


__all__ = ["ContinuousBernoulli"]
