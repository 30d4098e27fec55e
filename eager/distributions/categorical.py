"""Distributions over K categories: ``Categorical`` (an index) and ``OneHotCategorical`` (a
one-hot vector), given ``probs`` or ``logits``. Sampling draws through ``multinomial``, as
PyTorch's does, so seeded programs sample the same indices."""

from __future__ import annotations

from typing import Any

import numpy as np

import eager
import eager.nn.functional as F

from . import constraints
from .distribution import Distribution
from .utils import delegated, lazy_property, logits_to_probs, probs_or_logits, probs_to_logits


class Categorical(Distribution):
    """One of ``K = probs.size(-1)`` categories, batched over the other dims of the
    parameters. ``probs`` are normalised over the last dim; ``logits`` are log-probabilities up
    to a constant."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        probs_or_logits(probs, logits)
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.size()[-1]
        batch_shape = self._param.size()[:-1] if self._param.dim() > 1 else ()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def support(self) -> Any:
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self) -> Any:
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self) -> Any:
        return logits_to_probs(self.logits)

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    @property
    def mean(self) -> Any:
        return eager.full(self._extended_shape(), float("nan"), dtype=self.probs.dtype)

    @property
    def mode(self) -> Any:
        return self.probs.argmax(-1)

    @property
    def variance(self) -> Any:
        return eager.full(self._extended_shape(), float("nan"), dtype=self.probs.dtype)

    def sample(self, sample_shape: tuple = ()) -> Any:
        shape = eager.Size(sample_shape)
        probs_2d = self.probs.reshape(-1, self._num_events)
        with eager.no_grad():
            samples_2d = eager.multinomial(probs_2d, shape.numel(), True).T
        return samples_2d.reshape(self._extended_shape(shape))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        value = value.long().unsqueeze(-1)
        value, log_pmf = eager.broadcast_tensors(value, self.logits)
        return log_pmf.gather(-1, value[..., :1]).squeeze(-1)

    def entropy(self) -> Any:
        logits = eager.clamp(self.logits, min=eager.finfo(self.logits.dtype).min)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Any:
        """The K category indices, shaped ``(K,) + (1,) * len(batch_shape)`` (expanded over the
        batch when ``expand``)."""
        values = eager.arange(self._num_events, dtype=eager.long)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


class OneHotCategorical(Distribution):
    """`Categorical` whose samples are one-hot vectors of length K (the event shape)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        self._categorical = Categorical(probs, logits)
        param = self._categorical._param
        super().__init__(param.size()[:-1], param.size()[-1:], validate_args=validate_args)

    probs = mean = delegated("_categorical", "probs")
    logits = delegated("_categorical", "logits")

    @property
    def mode(self) -> Any:
        return F.one_hot(self._categorical.probs.argmax(-1),
                         self._categorical._num_events).to(self.probs.dtype)

    @property
    def variance(self) -> Any:
        return self._categorical.probs * (1 - self._categorical.probs)

    def sample(self, sample_shape: tuple = ()) -> Any:
        indices = self._categorical.sample(sample_shape)
        return F.one_hot(indices, self._categorical._num_events).to(self.probs.dtype)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(value.max(-1)[1])

    def entropy(self) -> Any:
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Any:
        n = self.event_shape[0]
        values = eager.tensor(np.eye(n), dtype=self.probs.dtype)
        values = values.view((n,) + (1,) * len(self.batch_shape) + (n,))
        return values.expand((n,) + tuple(self.batch_shape) + (n,)) if expand else values


__all__ = ["Categorical", "OneHotCategorical"]
