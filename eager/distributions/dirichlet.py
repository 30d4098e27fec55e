"""The Dirichlet distribution over the simplex and its two-category case Beta, as
``torch.distributions.Dirichlet`` and ``Beta``. Sampling draws PyTorch's numbers: float64
gammas normalised over the last dim (Beta samples the Dirichlet of ``(concentration1,
concentration0)`` and keeps component 0, as PyTorch does).

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> Beta(eager.tensor([0.4]), eager.tensor([0.4])).sample()
    tensor([0.0055])
"""

from __future__ import annotations

from numbers import Number
from typing import Any

import eager
import eager.nn.functional as F

from . import constraints
from .exp_family import ExponentialFamily
from .rejection import rsample_dirichlet
from .utils import broadcast_all


class Dirichlet(ExponentialFamily):
    """Dirichlet over vectors of ``concentration.size(-1)`` categories (the other dims batch)."""

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Any, validate_args: bool | None = None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        shape = concentration.size()
        super().__init__(shape[:-1], shape[-1:], validate_args=validate_args)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        """Dirichlet draws, differentiable through PyTorch's implicit gradient."""
        return rsample_dirichlet(self.concentration.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        c = self.concentration
        return (eager.xlogy(c - 1.0, value).sum(-1) + eager.lgamma(c.sum(-1))
                - eager.lgamma(c).sum(-1))

    @property
    def mean(self) -> Any:
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def mode(self) -> Any:
        shifted = (self.concentration - 1).clamp(min=0.0)
        mode = shifted / shifted.sum(-1, keepdim=True)
        # Where every concentration is below 1 the density peaks at a vertex: PyTorch puts
        # all the mass on the largest shifted component (a one-hot vector).
        vertex = F.one_hot(mode.argmax(-1), shifted.shape[-1]).to(mode.dtype)
        below = (self.concentration < 1).all(-1, keepdim=True)
        return eager.where(below, vertex, mode)

    @property
    def variance(self) -> Any:
        total = self.concentration.sum(-1, keepdim=True)
        return (self.concentration * (total - self.concentration)
                / (total.pow(2) * (total + 1)))

    @property
    def _natural_params(self) -> tuple:
        return (self.concentration,)

    def _log_normalizer(self, x: Any) -> Any:
        return x.lgamma().sum(-1) - eager.lgamma(x.sum(-1))

    def entropy(self) -> Any:
        c = self.concentration
        k, total = c.size(-1), c.sum(-1)
        return (eager.lgamma(c).sum(-1) - eager.lgamma(total)
                - (k - total) * eager.digamma(total)
                - ((c - 1.0) * eager.digamma(c)).sum(-1))


class Beta(ExponentialFamily):
    """Beta on [0, 1] with ``concentration1`` (alpha) and ``concentration0`` (beta)."""

    arg_constraints = {"concentration1": constraints.positive,
                       "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1: Any, concentration0: Any,
                 validate_args: bool | None = None) -> None:
        if isinstance(concentration1, Number) and isinstance(concentration0, Number):
            pair = eager.tensor([float(concentration1), float(concentration0)])
        else:
            pair = eager.stack(broadcast_all(concentration1, concentration0), -1)
        self._dirichlet = Dirichlet(pair, validate_args=validate_args)
        super().__init__(self._dirichlet.batch_shape, validate_args=validate_args)

    @property
    def concentration1(self) -> Any:
        """alpha, the pseudo-count of ones."""
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self) -> Any:
        """beta, the pseudo-count of zeros."""
        return self._dirichlet.concentration[..., 1]

    @property
    def mean(self) -> Any:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Any:
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self) -> Any:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        return self._dirichlet.rsample(sample_shape)[..., 0]

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return self._dirichlet.log_prob(eager.stack([value, 1.0 - value], -1))

    def entropy(self) -> Any:
        return self._dirichlet.entropy()

    @property
    def _natural_params(self) -> tuple:
        return (self.concentration1, self.concentration0)

    def _log_normalizer(self, x: Any, y: Any) -> Any:
        return eager.lgamma(x) + eager.lgamma(y) - eager.lgamma(x + y)


__all__ = ["Dirichlet", "Beta"]
