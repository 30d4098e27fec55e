"""PyTorch's functions of complex numbers: ``torch.complex``, ``polar``, ``view_as_real``,
``view_as_complex``, ``real``, ``imag``, ``conj``, ``angle``. The ops are
`shared_ops.ops.complex_ops`; complex tensors are NumPy complex arrays
(`shared_ops.complex_support` says which ops compute with them and how gradients follow
PyTorch's convention).

    >>> import eager
    >>> eager.polar(eager.tensor([2.0]), eager.tensor([0.0]))
    tensor([2.+0.j])
"""

from __future__ import annotations

from typing import Any

from shared_ops.ops import complex_ops
from shared_ops.tensor_api import METHODS

from .tensor_base import TensorBase

__all__ = ["complex", "polar", "view_as_real", "view_as_complex", "real", "imag", "conj",
           "conj_physical", "resolve_conj", "resolve_neg", "is_conj", "angle"]


# ``out`` is declared where torch's signature has it; eager/__init__.py wraps these functions
# with the out= rules (eager/out_argument.py), which take every ``out=`` before they run.


def complex(real: Any, imag: Any, *, out: Any = None) -> Any:  # noqa: A001  (torch's name)
    """``real + i imag`` from two floating tensors of one dtype (float32 -> complex64)."""
    return complex_ops.complex_op(real, imag)


def polar(abs: Any, angle: Any, *, out: Any = None) -> Any:  # noqa: A002  (torch's names)
    """``abs * (cos(angle) + i sin(angle))``."""
    return complex_ops.polar(abs, angle)


def view_as_real(input: Any) -> Any:  # noqa: A002
    """A complex tensor's (real, imag) pairs as a last dim of size 2, sharing its memory."""
    return complex_ops.view_as_real(input)


def view_as_complex(input: Any) -> Any:  # noqa: A002
    """A float tensor whose last dim has size 2 as a complex tensor, sharing its memory."""
    if isinstance(input, TensorBase) and input._data.ndim and input._data.shape[-1] == 2:
        complex_ops.check_complex_view(input._data)  # torch's RuntimeError, unwrapped
    return complex_ops.view_as_complex(input)


def real(input: Any) -> Any:  # noqa: A002
    """The real part, a view (a real tensor itself)."""
    return METHODS["real"](input)


def imag(input: Any) -> Any:  # noqa: A002
    """The imaginary part, a view; complex tensors only."""
    return METHODS["imag"](input)


def conj(input: Any) -> Any:  # noqa: A002
    """The complex conjugate (a real tensor is its own)."""
    return METHODS["conj"](input)


def conj_physical(input: Any, *, out: Any = None) -> Any:  # noqa: A002
    """The complex conjugate, computed."""
    return METHODS["conj"](input)


def resolve_conj(input: Any) -> Any:  # noqa: A002
    """The tensor itself: conjugation here is never a lazy bit."""
    return input


resolve_neg = resolve_conj


def is_conj(input: Any) -> bool:  # noqa: A002
    """False: no tensor carries a lazy conjugate bit here."""
    return False


def angle(input: Any, *, out: Any = None) -> Any:  # noqa: A002
    """The argument in (-pi, pi] (0 or pi for real values), float32 for integers."""
    return complex_ops.angle(input)
