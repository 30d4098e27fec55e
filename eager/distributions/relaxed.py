"""The Concrete (Gumbel-softmax) relaxations of Bernoulli and OneHotCategorical, as
``torch.distributions``: ``LogitRelaxedBernoulli`` and ``ExpRelaxedCategorical`` (the
reparameterised logit / log-simplex samples, drawn from ``rand`` as PyTorch's), and
``RelaxedBernoulli`` / ``RelaxedOneHotCategorical`` (those pushed through a sigmoid / exp).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> RelaxedBernoulli(eager.tensor(0.5), probs=eager.tensor([0.3, 0.9])).sample()
    tensor([0.1513, 0.9989])
"""

from __future__ import annotations

from typing import Any

import eager

from . import constraints
from .binary import BinaryParameters
from .categorical import Categorical
from .distribution import Distribution
from .transformed import TransformedDistribution
from .transforms import ExpTransform, SigmoidTransform
from .utils import broadcast_all, clamp_probs, delegated


class LogitRelaxedBernoulli(BinaryParameters, Distribution):
    """The logit of a `RelaxedBernoulli` sample at ``temperature``: ``(logit(u) +
    logit(probs)) / temperature`` for ``u`` uniform."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real  # has_rsample stays False, as PyTorch's (rsample still works)
    _expand_keep = ("temperature",)

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        self.temperature = temperature
        super().__init__(self._take_parameter(probs, logits), validate_args=validate_args)

    @property
    def param_shape(self) -> eager.Size:
        return self._param.size()

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        probs = clamp_probs(self.probs.expand(shape))
        uniforms = clamp_probs(eager.rand(shape, dtype=probs.dtype))
        return (uniforms.log() - (-uniforms).log1p() + probs.log()
                - (-probs).log1p()) / self.temperature

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(TransformedDistribution):
    """A continuous relaxation of Bernoulli on (0, 1): the sigmoid of a
    `LogitRelaxedBernoulli` (sharper as ``temperature`` falls)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(LogitRelaxedBernoulli(temperature, probs, logits), SigmoidTransform(),
                         validate_args=validate_args)

    temperature = delegated("base_dist", "temperature")
    logits = delegated("base_dist", "logits")
    probs = delegated("base_dist", "probs")


class ExpRelaxedCategorical(Distribution):
    """The log of a `RelaxedOneHotCategorical` sample: a log-softmax of Gumbel-perturbed
    logits over ``temperature``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector  # in truth a submanifold of it
    has_rsample = True
    _expand_keep = ("temperature",)

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    param_shape = delegated("_categorical", "param_shape")
    logits = delegated("_categorical", "logits")
    probs = delegated("_categorical", "probs")

    def rsample(self, sample_shape: tuple = ()) -> Any:
        shape = self._extended_shape(sample_shape)
        uniforms = clamp_probs(eager.rand(shape, dtype=self.logits.dtype))
        gumbels = -((-(uniforms.log())).log())
        scores = (self.logits + gumbels) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value: Any) -> Any:
        k = self._categorical._num_events
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_scale = (eager.full_like(self.temperature, float(k)).lgamma()
                     - self.temperature.log().mul(-(k - 1)))
        score = logits - value.mul(self.temperature)
        score = (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """A continuous relaxation of OneHotCategorical on the simplex: the exp of an
    `ExpRelaxedCategorical` (the Gumbel-softmax)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, temperature: Any, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        super().__init__(ExpRelaxedCategorical(temperature, probs, logits,
                                               validate_args=validate_args),
                         ExpTransform(), validate_args=validate_args)

    temperature = delegated("base_dist", "temperature")
    logits = delegated("base_dist", "logits")
    probs = delegated("base_dist", "probs")


__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli", "ExpRelaxedCategorical",
           "RelaxedOneHotCategorical"]
