"""``eager.nn.utils.parametrizations``, as ``torch.nn.utils.parametrizations``: `weight_norm`
and `spectral_norm` as parametrizations (`parametrize.register_parametrization`).

`spectral_norm` divides the weight by its largest singular value, estimated by PyTorch's
power iteration: ``u`` and ``v`` start as normalized draws of the random stream (so a seeded
program gets PyTorch's numbers), are refined 15 times at registration and
``n_power_iterations`` times on each access in training mode (in place, without gradient),
and ``sigma = u . (W v)`` carries the gradient through ``W`` only.

    >>> import eager, eager.nn as nn
    >>> layer = spectral_norm(nn.Linear(4, 3))
    >>> list(layer.state_dict())
    ['bias', 'parametrizations.weight.original', 'parametrizations.weight.0._u', \
'parametrizations.weight.0._v']
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from ...autograd import no_grad
from ...tensor import Tensor
from .. import functional as F
from ..conv3d import ConvTranspose3d
from ..conv_transpose import ConvTranspose1d, ConvTranspose2d
from ..module import Module
from . import parametrize
from .weight_norm import norm_except_dim, weight_from_norm


class _WeightNorm(Module):
    """``weight = g * v / ||v||`` from ``(g, v)``; its right inverse splits a weight."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Any, weight_v: Any) -> Any:
        return weight_from_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Any) -> tuple[Any, Any]:
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Parametrize ``module.<name>`` as ``g * v / ||v||`` (``original0`` = g, ``original1``
    = v)."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


class _SpectralNorm(Module):
    """``weight / sigma``, ``sigma`` the power iteration's estimate of the top singular
    value of the weight seen as a matrix (``dim`` first, the rest flattened)."""

    def __init__(self, weight: Any, n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            with no_grad():
                matrix = self._matrix(weight)
                h, w = matrix.shape
                u = matrix.new_empty(h).normal_(0, 1)
                v = matrix.new_empty(w).normal_(0, 1)
                self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
                self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
                self._power_method(matrix, 15)

    def _matrix(self, weight: Any) -> Any:
        if self.dim != 0:
            weight = ops.transpose(weight, axes=(self.dim,) + tuple(
                d for d in range(weight.ndim) if d != self.dim))
        return ops.reshape(weight, shape=(weight.shape[0], -1))

    def _power_method(self, matrix: Any, iterations: int) -> None:
        with no_grad():
            matrix = matrix.detach()
            for _ in range(iterations):
                self._u.copy_(F.normalize(ops.matmul(matrix, self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(ops.matmul(ops.transpose(matrix), self._u), dim=0,
                                          eps=self.eps))

    def forward(self, weight: Any) -> Any:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        matrix = self._matrix(weight)
        if self.training:
            self._power_method(matrix, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = ops.sum(ops.mul(u, ops.matmul(matrix, v)))
        return ops.div(weight, sigma)

    def right_inverse(self, value: Any) -> Any:
        return value


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1,
                  eps: float = 1e-12, dim: int | None = None) -> Module:
    """Parametrize ``module.<name>`` as itself over its spectral norm (``dim`` defaults to 1
    for transposed convolutions, else 0)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if isinstance(module, ConvTranspose1d | ConvTranspose2d | ConvTranspose3d) else 0
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


__all__ = ["weight_norm", "spectral_norm"]
