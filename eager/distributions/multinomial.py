"""Counts over categories: ``Multinomial`` (``total_count`` draws of a `Categorical`, counted
per category, as PyTorch samples it) and ``NegativeBinomial`` (successes before
``total_count`` failures, drawn as PyTorch's Poisson of a Gamma).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> Multinomial(10, probs=eager.tensor([0.2, 0.3, 0.5])).sample()
    tensor([1., 3., 6.])
"""

from __future__ import annotations

from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .binary import BinaryParameters
from .categorical import Categorical
from .counts import Binomial
from .distribution import Distribution
from .gamma import Gamma
from .rejection import poisson
from .utils import broadcast_all, delegated, lazy_property


class Multinomial(Distribution):
    """``total_count`` (one int) trials over ``probs.size(-1)`` categories; samples are the
    count vectors."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}

    def __init__(self, total_count: int = 1, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    logits = delegated("_categorical", "logits")
    probs = delegated("_categorical", "probs")
    param_shape = delegated("_categorical", "param_shape")

    @property
    def support(self) -> Any:
        return constraints.multinomial(self.total_count)

    @property
    def mean(self) -> Any:
        return self.probs * self.total_count

    @property
    def variance(self) -> Any:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: tuple = ()) -> Any:
        sample_shape = eager.Size(sample_shape)
        samples = self._categorical.sample(eager.Size((self.total_count,)) + sample_shape)
        order = list(range(samples.dim()))
        order.append(order.pop(0))  # the trials dim last
        samples = samples.permute(*order)
        counts = eager.zeros(self._extended_shape(sample_shape), dtype=samples.dtype)
        counts.scatter_add_(-1, samples, eager.ones_like(samples))
        return counts.type_as(self.probs)

    def entropy(self) -> Any:
        n = eager.tensor(self.total_count)
        term1 = n * self._categorical.entropy() - eager.lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = eager.exp(self._binomial.log_prob(support))
        weights = eager.lgamma(support + 1)
        return term1 + (binomial_probs * weights).sum([0, -1])

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_factorial_n = eager.lgamma(value.sum(-1) + 1)
        log_factorial_xs = eager.lgamma(value + 1).sum(-1)
        # a category of probability 0 counted 0 times adds nothing (not 0 * -inf)
        logits = eager.where((value == 0) & (logits == -float("inf")), 0.0, logits)
        return log_factorial_n - log_factorial_xs + (logits * value).sum(-1)


class NegativeBinomial(BinaryParameters, Distribution):
    """Successes before ``total_count`` failures of trials succeeding with ``probs`` (or
    ``sigmoid(logits)``)."""

    arg_constraints = {"total_count": constraints.greater_than_eq(0),
                       "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, total_count: Any, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(self._take_parameter(probs, logits, total_count),
                         validate_args=validate_args)

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    @property
    def mean(self) -> Any:
        return self.total_count * eager.exp(self.logits)

    @property
    def mode(self) -> Any:
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self) -> Any:
        return self.mean / eager.sigmoid(-self.logits)

    @lazy_property
    def _gamma(self) -> Gamma:
        return Gamma(concentration=self.total_count, rate=eager.exp(-self.logits),
                     validate_args=False)

    def sample(self, sample_shape: tuple = ()) -> Any:
        with eager.no_grad():
            return poisson(self._gamma.sample(sample_shape=sample_shape))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        log_unnormalized = (self.total_count * F.logsigmoid(-self.logits)
                            + value * F.logsigmoid(self.logits))
        log_normalization = (-eager.lgamma(self.total_count + value) + eager.lgamma(1.0 + value)
                             + eager.lgamma(self.total_count))
        log_normalization = log_normalization.masked_fill(self.total_count + value == 0.0, 0.0)
        return log_unnormalized - log_normalization


__all__ = ["Multinomial", "NegativeBinomial"]
