"""The gamma family's draws with PyTorch's implicit reparameterisation gradients:
`rsample_standard_gamma` (``torch._standard_gamma``, whose backward is
``_standard_gamma_grad``) and `rsample_dirichlet` (PyTorch's ``_Dirichlet`` function, whose
backward is ``_dirichlet_grad``), plus the rejection samplers' tensor functions
(`eager.random.gamma_factories`), re-exported for the count distributions.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> alpha = eager.tensor([2.0], requires_grad=True)
    >>> rsample_standard_gamma(alpha).backward()
    >>> alpha.grad
    tensor([1.5931])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import eager
from eager.random.gamma_factories import binomial, poisson, sample_dirichlet, standard_gamma
from eager.random.gamma_grads import dirichlet_grad, standard_gamma_grad


def _digamma(values: np.ndarray) -> np.ndarray:
    return eager.digamma(eager.tensor(values, dtype=eager.float64)).numpy()


class _StandardGamma(eager.autograd.Function):
    @staticmethod
    def forward(ctx: Any, alpha: Any) -> Any:
        x = standard_gamma(alpha)
        ctx.save_for_backward(alpha, x)
        return x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        alpha, x = ctx.saved_tensors
        dx = standard_gamma_grad(alpha.detach().numpy(), x.detach().numpy(), _digamma)
        return grad * eager.tensor(dx, dtype=alpha.dtype)  # rounded to the dtype as ATen's


class _Dirichlet(eager.autograd.Function):
    @staticmethod
    def forward(ctx: Any, concentration: Any) -> Any:
        x = sample_dirichlet(concentration)
        ctx.save_for_backward(x, concentration)
        return x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, concentration = ctx.saved_tensors
        total = concentration.sum(-1, True).expand_as(concentration)
        dx = dirichlet_grad(x.detach().numpy(), concentration.detach().numpy(),
                            total.detach().numpy(), _digamma)
        dx = eager.tensor(dx, dtype=x.dtype)
        return dx * (grad - (x * grad).sum(-1, True))


def rsample_standard_gamma(alpha: Any) -> Any:
    """Gamma(alpha, 1) draws (PyTorch's numbers) differentiable in ``alpha``."""
    return _StandardGamma.apply(alpha) if alpha.requires_grad else standard_gamma(alpha)


def rsample_dirichlet(concentration: Any) -> Any:
    """Dirichlet draws over the last dim (PyTorch's numbers), differentiable in
    ``concentration``."""
    if concentration.requires_grad:
        return _Dirichlet.apply(concentration)
    return sample_dirichlet(concentration)


__all__ = ["standard_gamma", "sample_dirichlet", "poisson", "binomial",
           "rsample_standard_gamma", "rsample_dirichlet"]
