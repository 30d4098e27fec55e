"""Distributions over counts, as ``torch.distributions.Poisson``, ``Binomial`` and
``Geometric``: sampling draws PyTorch's numbers through ATen's own CPU samplers
(``torch.poisson``, ``torch.binomial``; Geometric by inverting a uniform), densities from
``lgamma`` and ``xlogy``.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> Poisson(eager.tensor([4.0, 40.0])).sample()
    tensor([ 7., 41.])
"""

from __future__ import annotations

from numbers import Number
from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .binary import BinaryParameters
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .rejection import binomial, poisson
from .utils import broadcast_all

nonnegative_integer = constraints.nonnegative_integer


class Poisson(ExponentialFamily):
    """The number of events of a Poisson process with ``rate`` events per unit."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = nonnegative_integer

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(() if isinstance(rate, Number) else self.rate.size(),
                         validate_args=validate_args)

    @property
    def mean(self) -> Any:
        return self.rate

    @property
    def mode(self) -> Any:
        return self.rate.floor()

    @property
    def variance(self) -> Any:
        return self.rate

    def sample(self, sample_shape: tuple = ()) -> Any:
        with eager.no_grad():
            return poisson(self.rate.expand(self._extended_shape(sample_shape)))

    @property
    def _natural_params(self) -> tuple:
        return (eager.log(self.rate),)

    def _log_normalizer(self, x: Any) -> Any:
        return eager.exp(x)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()


def _clamp_by_zero(x: Any) -> Any:
    # max(x, 0) whose gradient at 0 is 1/2, as PyTorch's Binomial computes it.
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(BinaryParameters, Distribution):
    """Successes among ``total_count`` trials of probability ``probs`` (or
    ``sigmoid(logits)``)."""

    arg_constraints = {"total_count": nonnegative_integer, "probs": constraints.unit_interval,
                       "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, total_count: Any = 1, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(self._take_parameter(probs, logits, total_count),
                         validate_args=validate_args)

    @property
    def support(self) -> Any:
        return constraints.integer_interval(0, self.total_count)

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    @property
    def mean(self) -> Any:
        return self.total_count * self.probs

    @property
    def mode(self) -> Any:
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self) -> Any:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        with eager.no_grad():
            return binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        n, logits = self.total_count, self.logits
        normalizer = (n * _clamp_by_zero(logits) + n * eager.log1p(eager.exp(-logits.abs()))
                      - eager.lgamma(n + 1))
        return (value * logits - eager.lgamma(value + 1) - eager.lgamma(n - value + 1)
                - normalizer)

    def _homogeneous_count(self, what: str) -> int:
        count = int(self.total_count.max())
        if not bool(self.total_count.min() == count):
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{what}`.")
        return count

    def entropy(self) -> Any:
        self._homogeneous_count("entropy")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(eager.exp(log_prob) * log_prob).sum(0)

    def enumerate_support(self, expand: bool = True) -> Any:
        """0 .. total_count, shaped ``(n + 1,) + (1,) * len(batch_shape)`` (expanded)."""
        count = self._homogeneous_count("enumerate_support")
        values = eager.arange(1 + count, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values



class Geometric(BinaryParameters, Distribution):
    """The number of failures before the first success of trials with probability ``probs``
    (or ``sigmoid(logits)``)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = nonnegative_integer

    def __init__(self, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(self._take_parameter(probs, logits), validate_args=validate_args)
        del self._param  # PyTorch's Geometric keeps none
        if self._validate_args and probs is not None and not bool((self.probs > 0).all()):
            # a success probability of 0 never stops: PyTorch refuses it though it is in [0, 1]
            raise ValueError(f"Expected parameter probs ({type(self.probs).__name__} of shape "
                             f"{tuple(self.probs.shape)}) of distribution {self!r} to be "
                             f"positive but found invalid values:\n"
                             f"{self.probs[~(self.probs > 0)]}")

    @property
    def mean(self) -> Any:
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Any:
        return eager.zeros_like(self.probs)

    @property
    def variance(self) -> Any:
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        tiny = eager.finfo(self.probs.dtype).tiny
        with eager.no_grad():
            u = eager.empty(shape, dtype=self.probs.dtype).uniform_(tiny, 1)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        # 0 * log(0) is 0 where a certain success (p = 1) meets zero failures
        probs = eager.where((probs == 1) & (value == 0), 0.0, probs)
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self) -> Any:
        return F.binary_cross_entropy_with_logits(self.logits, self.probs,
                                                  reduction="none") / self.probs


__all__ = ["Poisson", "Binomial", "Geometric"]
