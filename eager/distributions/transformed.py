"""``TransformedDistribution`` (a base distribution pushed through elementwise transforms)
and ``LogNormal`` (the exponential of a Normal), as ``torch.distributions``.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> LogNormal(0.0, 1.0).sample((2,))
    tensor([4.6692, 0.7457])
"""

from __future__ import annotations

from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .normal import Normal
from .transforms import ExpTransform, Transform
from .utils import delegated, sum_rightmost


class TransformedDistribution(Distribution):
    """``base_distribution`` with each of ``transforms`` applied to its samples in turn;
    ``log_prob`` subtracts the transforms' log-Jacobians. Transforms that change the shape
    of a sample (or join dims into events) are not supported here."""

    arg_constraints: dict = {}

    def __init__(self, base_distribution: Distribution, transforms: Any,
                 validate_args: bool | None = None) -> None:
        if isinstance(transforms, Transform):
            self.transforms = [transforms]
        elif isinstance(transforms, list):
            if not all(isinstance(t, Transform) for t in transforms):
                raise ValueError("transforms must be a Transform or a list of Transforms")
            self.transforms = transforms
        else:
            raise ValueError(f"transforms must be a Transform or list, but was {transforms}")
        shape = tuple(base_distribution.batch_shape) + tuple(base_distribution.event_shape)
        for t in self.transforms:
            if t.event_dim or tuple(t.forward_shape(shape)) != shape:
                raise NotImplementedError(
                    f"TransformedDistribution: {t!r} changes the shape {shape} of a sample or "
                    "acts on events; eager supports elementwise transforms only")
        self.base_dist = base_distribution
        event_dim = len(base_distribution.event_shape)
        cut = len(shape) - event_dim
        super().__init__(shape[:cut], shape[cut:], validate_args=validate_args)

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        return self.base_dist.has_rsample

    @property
    def support(self) -> Any:
        if not self.transforms:
            return self.base_dist.support
        support = self.transforms[-1].codomain
        if len(self.event_shape) > support.event_dim:
            support = constraints.independent(support, len(self.event_shape) - support.event_dim)
        return support

    def _forward(self, x: Any) -> Any:
        for t in self.transforms:
            x = t(x)
        return x

    def sample(self, sample_shape: tuple = ()) -> Any:
        with eager.no_grad():
            return self._forward(self.base_dist.sample(sample_shape))

    def rsample(self, sample_shape: tuple = ()) -> Any:
        return self._forward(self.base_dist.rsample(sample_shape))

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        event_dim = len(self.event_shape)
        log_prob: Any = 0.0
        y = value
        for t in reversed(self.transforms):
            x = t.inv(y)
            log_prob = log_prob - sum_rightmost(t.log_abs_det_jacobian(x, y), event_dim)
            y = x
        return log_prob + self.base_dist.log_prob(y)


class LogNormal(TransformedDistribution):
    """``exp(X)`` for ``X ~ Normal(loc, scale)``."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.positive

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        base = Normal(loc, scale, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

    loc = delegated("base_dist", "loc")
    scale = delegated("base_dist", "scale")

    @property
    def mean(self) -> Any:
        return (self.loc + self.scale.pow(2) / 2).exp()

    @property
    def mode(self) -> Any:
        return (self.loc - self.scale.square()).exp()

    @property
    def variance(self) -> Any:
        scale2 = self.scale.pow(2)
        return scale2.expm1() * (2 * self.loc + scale2).exp()

    def entropy(self) -> Any:
        return self.base_dist.entropy() + self.loc


__all__ = ["TransformedDistribution", "LogNormal"]
