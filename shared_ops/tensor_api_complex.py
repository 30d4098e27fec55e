"""Tensor methods of complex numbers: ``real``/``imag`` (properties, views), ``conj``,
``angle``, ``resolve_conj``... Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> METHODS["conj"](np.array([1 + 2j])), METHODS["angle"](np.array([-1.0]))
    (array([1.-2.j]), array([3.14159265]))
"""

from __future__ import annotations

from .aval import aval_of
from .ops.complex_ops import angle, conj, imag, real
from .tensor_api_core import METHODS, method

__all__ = ["METHODS"]


@method("real")
def _real(self):
    """The real part, a view (a real tensor's is itself)."""
    return real(self)


@method("imag")
def _imag(self):
    """The imaginary part, a view; RuntimeError for a real tensor, as PyTorch's."""
    return imag(self)


@method("conj", "conj_physical")
def _conj(self):
    """The complex conjugate (a real tensor is its own)."""
    return conj(self) if aval_of(self).dtype.kind == "c" else self


@method("resolve_conj", "resolve_neg")
def _resolve_conj(self):
    """The tensor itself: conjugates are computed, never lazy bits."""
    return self


@method("is_conj", "is_neg")
def _is_conj(self) -> bool:
    """False: no tensor carries a lazy conjugate bit here."""
    return False


@method("angle")
def _angle(self):
    """The argument in (-pi, pi]: 0 or pi for real values."""
    return angle(self)
