"""``eager.nn.utils.parametrizations``, as ``torch.nn.utils.parametrizations``: `weight_norm`,
`spectral_norm` and `orthogonal` as parametrizations (`parametrize.register_parametrization`).

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

import numpy as np

from ... import linalg
from ...autograd import no_grad
from ...creation import eye, randn, tensor, zeros_like
from ...functions import cat
from ...tensor import Tensor
from .. import functional as F
from ..module import Module
from . import parametrize
from .spectral_norm import (
    default_dim,
    initial_vectors,
    normalized_by_sigma,
    power_iterate,
    weight_matrix,
)
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
            matrix = weight_matrix(weight.detach(), self.dim)
            u, v = initial_vectors(matrix, eps)
            self.register_buffer("_u", u)
            self.register_buffer("_v", v)
            power_iterate(matrix, self._u, self._v, 15, eps)

    def forward(self, weight: Any) -> Any:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        matrix = weight_matrix(weight, self.dim)
        if self.training:
            power_iterate(matrix, self._u, self._v, self.n_power_iterations, self.eps)
        return normalized_by_sigma(weight, matrix, self._u, self._v)

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
        dim = default_dim(module)
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


def _geqrf(a: Tensor) -> tuple[Tensor, Tensor]:
    """``torch.geqrf``'s compact QR (reflectors below R's diagonal, and their scales), from
    LAPACK's geqrf through NumPy's raw QR (which returns the matrix transposed)."""
    h, tau = np.linalg.qr(a.numpy(), mode="raw")
    return tensor(np.swapaxes(h, -1, -2).copy(), dtype=a.dtype), tensor(tau, dtype=a.dtype)


def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.shape[-2:]
    tolerance = 10.0 * n * float(np.finfo(np.dtype(q.numpy().dtype)).eps)
    return bool(np.allclose((q.mT @ q).numpy(), np.eye(k), rtol=1e-5, atol=tolerance))


def _make_orthogonal(a: Tensor) -> Tensor:
    """The Q of a = Q R (a tall), columns signed so that R's diagonal is non-negative."""
    compact, tau = _geqrf(a)
    q = linalg.householder_product(compact, tau)
    return q * compact.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-2)


class _Orthogonal(Module):
    """An orthogonal matrix (orthonormal columns, or rows when wide) from an unconstrained one:
    exp or the Cayley transform of its skew-symmetric part, or a product of Householder
    reflectors; with the trivialization a fixed orthogonal ``base`` multiplies it."""

    def __init__(self, weight: Tensor, orthogonal_map: str, *,
                 use_trivialization: bool = True) -> None:
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Any) -> Any:  # noqa: N803
        n, k = X.shape[-2:]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n  # noqa: N806
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()  # noqa: N806
            if n != k:
                X = cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)],  # noqa: N806
                        dim=-1)
            skew = X - X.mT
            if self.orthogonal_map == "matrix_exp":
                q = linalg.matrix_exp(skew)
            else:
                identity = eye(n, dtype=skew.dtype)
                q = linalg.solve(identity - 0.5 * skew, identity + 0.5 * skew)
            if n != k:
                q = q[..., :k]
        else:
            reflectors = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (reflectors * reflectors).sum(dim=-2))
            q = linalg.householder_product(reflectors, tau)
            # PyTorch truncates the diagonal to int: it holds the signs +-1 of right_inverse.
            q = q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            q = self.base @ q
        return q.mT if transposed else q

    def right_inverse(self, Q: Any) -> Any:  # noqa: N803
        with no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Any) -> Any:  # noqa: N803
        if Q.shape != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        q_init = Q
        n, k = Q.shape[-2:]
        transpose = n < k
        if transpose:
            Q, n, k = Q.mT, k, n  # noqa: N806
        if not hasattr(self, "base"):
            if self.orthogonal_map in ("matrix_exp", "cayley"):
                raise NotImplementedError("It is not possible to assign to the matrix "
                                          "exponential or the Cayley parametrizations when "
                                          "use_trivialization=False.")
            compact, tau = _geqrf(Q)
            # The diagonal keeps the signs of R's (those of zero reflectors flipped).
            signs = compact.diagonal(dim1=-2, dim2=-1).sign()
            signs = signs * (1.0 - 2.0 * (tau == 0.0).to(signs.dtype))
            diagonal = eye(n, k, dtype=compact.dtype).bool()
            compact = compact.masked_fill(diagonal, 0.0) + eye(n, k, dtype=compact.dtype) \
                * signs.unsqueeze(-2)
            return compact.mT if transpose else compact
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)  # noqa: N806
        else:
            # Complete the columns with a random draw (PyTorch's, from the seeded stream).
            extra = randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
            Q = _make_orthogonal(cat([Q, extra], dim=-1))  # noqa: N806
        self.base = Q
        # -I on each matrix's diagonal (built whole: eager's diagonal() is not a writable view).
        rows, cols = q_init.shape[-2:]
        return zeros_like(q_init) - eye(rows, cols, dtype=q_init.dtype)


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    """Parametrize ``module.<name>`` (a matrix or batch of them) as an orthogonal matrix, by
    ``orthogonal_map`` "matrix_exp", "cayley" or "householder" (default: "matrix_exp" for a
    square matrix, else "householder"); its initial value is the weight if orthogonal, else
    the Q of its QR factorization."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                         f'"householder". Got: {orthogonal_map}')
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module


__all__ = ["weight_norm", "spectral_norm", "orthogonal"]
