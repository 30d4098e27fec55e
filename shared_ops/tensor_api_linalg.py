"""Tensor methods of linear algebra (``det``, ``inverse``, ``slogdet``, ``svd``, ``qr``,
``trace``...), PyTorch's older spellings of `linalg_api`'s functions, with their structured
results (``torch.return_types.svd`` holds V, not Vh). Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> float(METHODS["trace"](np.arange(4.0).reshape(2, 2)))
    3.0
"""

from __future__ import annotations

import warnings

from . import linalg_api
from .aval import broadcast_shapes
from .ops.linalg import matrix_transpose
from .return_types import return_type
from .tensor_api_core import METHODS, method, op, shape_of

SlogdetResult = return_type("slogdet", ("sign", "logabsdet"))
SvdResult = return_type("svd", ("U", "S", "V"))
QrResult = return_type("qr", ("Q", "R"))



@method("det")
def _det(self):
    """The determinant (``torch.det``)."""
    return linalg_api.det(self)


@method("inverse")
def _inverse(self):
    """The matrix inverse (``torch.inverse``)."""
    return linalg_api.inv(self)


@method("logdet")
def _logdet(self):
    """log det: nan for a negative determinant, -inf for a zero one (``torch.logdet``)."""
    sign, logabsdet = linalg_api.slogdet(self)
    return op("add")(logabsdet, op("log")(sign))


@method("slogdet")
def _slogdet(self):
    """``(sign, logabsdet)`` (``torch.slogdet``)."""
    return SlogdetResult(*linalg_api.slogdet(self))


@method("cholesky")
def _cholesky(self, upper: bool = False):
    """The Cholesky factor (``torch.cholesky``)."""
    return linalg_api.cholesky(self, upper=upper)


@method("trace")
def _trace(self):
    """The sum of the main diagonal of a matrix (``torch.trace``)."""
    return op("trace")(self)


@method("pinverse")
def _pinverse(self, rcond: float = 1e-15):
    """The pseudo-inverse, singular values below ``rcond * s_max`` dropped (``torch.pinverse``)."""
    return linalg_api.pinv(self, rtol=rcond)


@method("matrix_power")
def _matrix_power(self, n: int):
    """``self`` to the integer power ``n`` (``torch.matrix_power``)."""
    return linalg_api.matrix_power(self, n)


@method("svd")
def _svd(self, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)`` with self = U diag(S) V^T (``torch.svd``: V, not Vh; ``some=False`` the
    full U and V; without ``compute_uv`` U and V are zeros)."""
    if not compute_uv:  # zeros shaped as the full U (m, m) and V (n, n), as PyTorch's
        a = op("stop_gradient")(self)
        return SvdResult(op("zeros_like")(op("matmul")(a, matrix_transpose(a))),
                         linalg_api.svdvals(self),
                         op("zeros_like")(op("matmul")(matrix_transpose(a), a)))
    u, s, vh = linalg_api.svd(self, full_matrices=not some)
    return SvdResult(u, s, matrix_transpose(vh))


@method("qr")
def _qr(self, some: bool = True):
    """``(Q, R)`` (``torch.qr``, deprecated there for ``torch.linalg.qr``)."""
    warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a "
                  "future PyTorch release.\nThe boolean parameter 'some' has been replaced with "
                  "a string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced "
                  "with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
                  UserWarning, stacklevel=3)
    return QrResult(*linalg_api.qr(self, mode="reduced" if some else "complete"))


@method("mv")
def _mv(self, vec):
    """The product of a matrix and a vector (``torch.mv``)."""
    if len(shape_of(self)) != 2 or len(shape_of(vec)) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(shape_of(self))}, "
                           f"{len(shape_of(vec))}")
    rows, cols = shape_of(self)
    if cols is not None and shape_of(vec)[0] is not None and cols != shape_of(vec)[0]:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec "
                           f"({shape_of(vec)[0]})")
    return op("matmul")(self, vec)


@method("cross")
def _cross(self, other, dim: int | None = None):
    """The cross product along ``dim``; without ``dim`` the first dim of size 3, as
    ``torch.cross`` (which warns that this default will change)."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                      "Please either pass the dim explicitly or simply use torch.linalg.cross."
                      "\nThe default value of dim will change to agree with that of "
                      "linalg.cross in a future release.", UserWarning, stacklevel=3)
        shape = broadcast_shapes("cross", shape_of(self), shape_of(other))
        dim = next((d for d, size in enumerate(shape) if size == 3), -1)
    return linalg_api.cross(self, other, dim=dim)


__all__ = ["METHODS"]
