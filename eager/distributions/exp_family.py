"""``ExponentialFamily``, the base of the distributions whose density is
``exp(<t(x), theta> - F(theta) + k(x))``, as ``torch.distributions.ExponentialFamily``: a
subclass gives its natural parameters ``theta`` (``_natural_params``), its log-normalizer
``F`` (``_log_normalizer``) and ``E[k(x)]`` (``_mean_carrier_measure``); the entropy, and the
KL divergence between two of one family, then follow from the Bregman divergence of ``F``
(its gradient taken on the tape).

    >>> import eager
    >>> from eager.distributions import Normal
    >>> ExponentialFamily.entropy(Normal(eager.tensor([0.0]), eager.tensor([2.0])))
    tensor([2.1121], grad_fn=<SubBackward0>)
"""

from __future__ import annotations

from typing import Any

import eager

from .distribution import Distribution


class ExponentialFamily(Distribution):
    """A distribution of an exponential family (see the module docstring)."""

    @property
    def _natural_params(self) -> tuple:
        """The natural parameters, a tuple of Tensors."""
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Any) -> Any:
        """The log-normalizer F of the natural parameters."""
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> Any:
        """The expectation of the carrier measure k(x)."""
        raise NotImplementedError

    def entropy(self) -> Any:
        """``F(theta) - <theta, grad F(theta)> - E[k(x)]`` (differentiable)."""
        result: Any = -self._mean_carrier_measure
        params = [p.detach().requires_grad_() for p in self._natural_params]
        log_normalizer = self._log_normalizer(*params)
        grads = eager.autograd.grad(log_normalizer.sum(), params, create_graph=True)
        result = result + log_normalizer
        for param, grad in zip(params, grads, strict=True):
            result = result - (param * grad).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result


__all__ = ["ExponentialFamily"]
