"""``Variable``: PyTorch's pre-0.4 wrapper, kept by PyTorch as a constructor of Tensors.

``Variable(t)`` gives a new Tensor sharing ``t``'s data, cut off from ``t``'s graph (a leaf,
requiring grad only when asked), and every Tensor is an instance of ``Variable``; so tutorials
written before Tensors and Variables merged still run.

    >>> import eager
    >>> v = Variable(eager.ones(2), requires_grad=True)
    >>> v.requires_grad, isinstance(eager.zeros(1), Variable)
    (True, True)
"""

from __future__ import annotations

from typing import Any

from ..tensor_base import TensorBase


class _VariableMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, TensorBase)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: a leaf Tensor on ``data``'s storage."""

    def __new__(cls, data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
        if not isinstance(data, TensorBase):
            raise TypeError(f"Variable data has to be a tensor, but got "
                            f"{type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)


__all__ = ["Variable"]
