"""``MixtureSameFamily``: a `Categorical` choice among the components of one batched
distribution (its rightmost batch dim), as ``torch.distributions.MixtureSameFamily``; a
sample draws the choices first, then every component, and keeps the chosen one (PyTorch's
order, so seeded samples agree).

    >>> import eager
    >>> from eager.distributions import Categorical, Normal
    >>> mix = MixtureSameFamily(Categorical(logits=eager.zeros(2)),
    ...                         Normal(eager.tensor([-1.0, 1.0]), eager.tensor([0.5, 0.5])))
    >>> mix.log_prob(eager.tensor(0.0))
    tensor(-2.2258)
"""

from __future__ import annotations

from typing import Any

import eager

from . import constraints
from .categorical import Categorical
from .distribution import Distribution
from .utils import alias


class MixtureSameFamily(Distribution):
    """Mixture weights ``mixture_distribution`` (a Categorical over K) of the K components
    batched in the last batch dim of ``component_distribution``."""

    arg_constraints: dict = {}
    has_rsample = False

    def __init__(self, mixture_distribution: Categorical,
                 component_distribution: Distribution,
                 validate_args: bool | None = None) -> None:
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(" The Mixture distribution needs to be an  instance of "
                             "torch.distributions.Categorical")
        if not isinstance(component_distribution, Distribution):
            raise ValueError("The Component distribution needs to be an instance of "
                             "torch.distributions.Distribution")
        mdbs = mixture_distribution.batch_shape
        cdbs = component_distribution.batch_shape[:-1]
        for size1, size2 in zip(reversed(mdbs), reversed(cdbs), strict=False):
            if size1 != 1 and size2 != 1 and size1 != size2:
                raise ValueError(f"`mixture_distribution.batch_shape` ({mdbs}) is not "
                                 f"compatible with `component_distribution.batch_shape`"
                                 f"({cdbs})")
        km = mixture_distribution.logits.shape[-1]
        kc = component_distribution.batch_shape[-1]
        if km != kc:
            raise ValueError(f"`mixture_distribution component` ({km}) does not equal "
                             f"`component_distribution.batch_shape[-1]` ({kc})")
        self._num_component = km
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(cdbs, component_distribution.event_shape,
                         validate_args=validate_args)

    def expand(self, batch_shape: tuple, _instance: Any = None) -> Distribution:
        batch_shape = eager.Size(batch_shape)
        new = self._get_checked_instance(MixtureSameFamily, _instance)
        new.__dict__.update({k: v for k, v in self.__dict__.items() if k not in new.__dict__})
        new._component_distribution = self._component_distribution.expand(
            batch_shape + (self._num_component,))
        new._mixture_distribution = self._mixture_distribution.expand(batch_shape)
        Distribution.__init__(new, batch_shape, new._component_distribution.event_shape,
                              validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def support(self) -> Any:
        return constraints.MixtureSameFamilyConstraint(self._component_distribution.support)

    mixture_distribution = alias("_mixture_distribution", "The Categorical over components.")
    component_distribution = alias("_component_distribution",
                                   "The components, batched in the rightmost batch dim.")

    @property
    def mean(self) -> Any:
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        return eager.sum(probs * self.component_distribution.mean, dim=-1 - self._event_ndims)

    @property
    def variance(self) -> Any:
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        dim = -1 - self._event_ndims
        mean_cond_var = eager.sum(probs * self.component_distribution.variance, dim=dim)
        deviation = (self.component_distribution.mean - self._pad(self.mean)).pow(2.0)
        return mean_cond_var + eager.sum(probs * deviation, dim=dim)

    def cdf(self, x: Any) -> Any:
        cdf_x = self.component_distribution.cdf(self._pad(x))
        return eager.sum(cdf_x * self.mixture_distribution.probs, dim=-1)

    def log_prob(self, x: Any) -> Any:
        if self._validate_args:
            self._validate_sample(x)
        log_prob_x = self.component_distribution.log_prob(self._pad(x))
        log_mix_prob = eager.log_softmax(self.mixture_distribution.logits, dim=-1)
        return eager.logsumexp(log_prob_x + log_mix_prob, dim=-1)

    def sample(self, sample_shape: tuple = ()) -> Any:
        with eager.no_grad():
            gather_dim = len(sample_shape) + len(self.batch_shape)
            event_shape = tuple(self.event_shape)
            mix_sample = self.mixture_distribution.sample(sample_shape)
            mix_shape = tuple(mix_sample.shape)
            comp_samples = self.component_distribution.sample(sample_shape)
            index = mix_sample.reshape(mix_shape + (1,) * (len(event_shape) + 1))
            index = index.repeat((1,) * len(mix_shape) + (1,) + event_shape)
            return eager.gather(comp_samples, gather_dim, index).squeeze(gather_dim)

    def _pad(self, x: Any) -> Any:
        return x.unsqueeze(-1 - self._event_ndims)

    def _pad_mixture_dimensions(self, x: Any) -> Any:
        dist_batch_ndims = len(self.batch_shape)
        cat_batch_ndims = len(self.mixture_distribution.batch_shape)
        pad_ndims = 0 if cat_batch_ndims == 1 else dist_batch_ndims - cat_batch_ndims
        shape = tuple(x.shape)
        return x.reshape(shape[:-1] + (1,) * pad_ndims + shape[-1:]
                         + (1,) * self._event_ndims)

    def __repr__(self) -> str:
        return (f"MixtureSameFamily(\n  {self.mixture_distribution},\n  "
                f"{self.component_distribution})")


__all__ = ["MixtureSameFamily"]
