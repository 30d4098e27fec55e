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


def _as_tensor(values: np.ndarray, like: Any) -> Any:
    return eager.tensor(values, dtype=like.dtype)  # rounded to the dtype, as ATen's


class _ImplicitDraw(eager.autograd.Function):
    """A gamma (``dirichlet=False``) or Dirichlet draw whose backward is PyTorch's implicit
    reparameterisation gradient."""

    @staticmethod
    def forward(ctx: Any, param: Any, dirichlet: bool) -> Any:
        x = sample_dirichlet(param) if dirichlet else standard_gamma(param)
        ctx.save_for_backward(param, x)
        ctx.dirichlet = dirichlet
        return x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        param, x = ctx.saved_tensors
        alpha, drawn = param.detach().numpy(), x.detach().numpy()
        if not ctx.dirichlet:
            return grad * _as_tensor(standard_gamma_grad(alpha, drawn, _digamma), x), None
        total = np.broadcast_to(alpha.sum(-1, keepdims=True), alpha.shape)
        dx = _as_tensor(dirichlet_grad(drawn, alpha, total, _digamma), x)
        return dx * (grad - (x * grad).sum(-1, True)), None


def rsample_standard_gamma(alpha: Any) -> Any:
    """Gamma(alpha, 1) draws (PyTorch's numbers) differentiable in ``alpha``."""
    return _ImplicitDraw.apply(alpha, False) if alpha.requires_grad else standard_gamma(alpha)


def rsample_dirichlet(concentration: Any) -> Any:
    """Dirichlet draws over the last dim (PyTorch's numbers), differentiable in
    ``concentration``."""
    if concentration.requires_grad:
        return _ImplicitDraw.apply(concentration, True)
    return sample_dirichlet(concentration)


__all__ = ["standard_gamma", "sample_dirichlet", "poisson", "binomial",
           "rsample_standard_gamma", "rsample_dirichlet"]
