"""The Bernoulli distribution, ``torch.distributions.Bernoulli``: 1 with probability
``probs`` (or ``sigmoid(logits)``), else 0."""

from __future__ import annotations

from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .binary import BinaryParameters
from .exp_family import ExponentialFamily
from .utils import broadcast_all


class Bernoulli(BinaryParameters, ExponentialFamily):
    """A batch of coin flips, from ``probs`` or ``logits`` (exactly one of them)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(self._take_parameter(probs, logits), validate_args=validate_args)

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    @property
    def mean(self) -> Any:
        return self.probs

    @property
    def mode(self) -> Any:
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return eager.where(self.probs == 0.5, float("nan"), mode)

    @property
    def variance(self) -> Any:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        with eager.no_grad():
            return eager.bernoulli(self.probs.expand(shape))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -F.binary_cross_entropy_with_logits(logits, value, reduction="none")

    _mean_carrier_measure = 0

    @property
    def _natural_params(self) -> tuple:
        return (eager.logit(self.probs),)

    def _log_normalizer(self, x: Any) -> Any:
        return eager.log1p(eager.exp(x))

    def entropy(self) -> Any:
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Any:
        """0 and 1, shaped ``(2,) + (1,) * len(batch_shape)`` (expanded when ``expand``)."""
        values = eager.arange(2, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


__all__ = ["Bernoulli"]
