"""Spectral normalization, the hook form ``torch.nn.utils.spectral_norm`` (still common in GAN
code), and the power iteration it shares with ``parametrizations.spectral_norm``.

`spectral_norm` renames ``weight`` to ``weight_orig``, keeps the power iteration's vectors as
buffers ``weight_u`` and ``weight_v`` (normalized draws of the random stream, so a seeded
program gets PyTorch's numbers), and recomputes ``weight = weight_orig / sigma`` before every
forward (one more iteration first, in training mode), ``sigma = u . (W v)`` carrying the
gradient through ``W`` only. `remove_spectral_norm` folds it back into one parameter.

    >>> import eager.nn as nn
    >>> layer = spectral_norm(nn.Linear(4, 3))
    >>> list(layer.state_dict())
    ['bias', 'weight_orig', 'weight_u', 'weight_v']
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from ...autograd import no_grad
from .. import functional as F
from ..conv3d import ConvTranspose3d
from ..conv_transpose import ConvTranspose1d, ConvTranspose2d
from ..module import Module
from ..parameter import Parameter
from .weight_norm import find_hook, remove_hook


def default_dim(module: Module) -> int:
    """The output-channel dim of ``module``'s weight: 1 for transposed convolutions."""
    return 1 if isinstance(module, ConvTranspose1d | ConvTranspose2d | ConvTranspose3d) else 0


def weight_matrix(weight: Any, dim: int) -> Any:
    """``weight`` as a matrix: dim ``dim`` first, the others flattened."""
    if dim != 0:
        weight = ops.transpose(weight, axes=(dim,) + tuple(
            d for d in range(weight.ndim) if d != dim))
    return ops.reshape(weight, shape=(weight.shape[0], -1))


def initial_vectors(matrix: Any, eps: float) -> tuple[Any, Any]:
    """The power iteration's start, as PyTorch draws it: a normal ``u`` (rows), then a
    normal ``v`` (columns), each normalized."""
    with no_grad():
        h, w = matrix.shape
        u = matrix.new_empty(h).normal_(0, 1)
        v = matrix.new_empty(w).normal_(0, 1)
        return F.normalize(u, dim=0, eps=eps), F.normalize(v, dim=0, eps=eps)


def power_iterate(matrix: Any, u: Any, v: Any, iterations: int, eps: float,
                  v_first: bool = False) -> None:
    """``iterations`` steps of the power iteration, written into ``u`` and ``v`` in place
    (without gradient); the hook form updates ``v`` first, the parametrization ``u``."""
    with no_grad():
        matrix = matrix.detach()

        def step_u() -> None:
            u.copy_(F.normalize(ops.matmul(matrix, v), dim=0, eps=eps))

        def step_v() -> None:
            v.copy_(F.normalize(ops.matmul(ops.transpose(matrix), u), dim=0, eps=eps))

        for _ in range(iterations):
            for step in ((step_v, step_u) if v_first else (step_u, step_v)):
                step()


def normalized_by_sigma(weight: Any, matrix: Any, u: Any, v: Any) -> Any:
    """``weight / (u . (W v))``, ``u`` and ``v`` taken as constants."""
    u, v = u.clone(), v.clone()
    return ops.div(weight, ops.sum(ops.mul(u, ops.matmul(matrix, v))))


class SpectralNorm:
    """The forward pre-hook of `spectral_norm`: recomputes ``module.<name>``."""

    def __init__(self, name: str = "weight", n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.name, self.dim = name, dim
        self.n_power_iterations, self.eps = n_power_iterations, eps

    def compute_weight(self, module: Module, do_power_iteration: bool) -> Any:
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        matrix = weight_matrix(weight, self.dim)
        if do_power_iteration:
            power_iterate(matrix, u, v, self.n_power_iterations, self.eps, v_first=True)
        return normalized_by_sigma(weight, matrix, u, v)

    def remove(self, module: Module) -> None:
        with no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module, module.training))

    @staticmethod
    def apply(module: Module, name: str, n_power_iterations: int, dim: int,
              eps: float) -> SpectralNorm:
        if find_hook(module, SpectralNorm, name) is not None:
            raise RuntimeError("Cannot register two spectral_norm hooks on the same "
                               f"parameter {name}")
        fn = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = module._parameters[name]
        if weight is None:
            raise ValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
        u, v = initial_vectors(weight_matrix(weight.detach(), dim), eps)
        delattr(module, name)
        module.register_parameter(name + "_orig", weight)
        setattr(module, name, weight.detach())
        module.register_buffer(name + "_u", u)
        module.register_buffer(name + "_v", v)
        module.register_forward_pre_hook(fn)
        return fn


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1,
                  eps: float = 1e-12, dim: int | None = None) -> Module:
    """Divide ``module.<name>`` by its spectral norm before every forward (a hook)."""
    SpectralNorm.apply(module, name, n_power_iterations,
                       default_dim(module) if dim is None else dim, eps)
    return module


def remove_spectral_norm(module: Module, name: str = "weight") -> Module:
    """Fold the hook back into one parameter ``<name>`` (its current normalized value)."""
    return remove_hook(module, SpectralNorm, name, "spectral_norm")


__all__ = ["spectral_norm", "remove_spectral_norm", "SpectralNorm"]
