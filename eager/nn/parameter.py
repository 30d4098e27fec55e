"""`Parameter`: a Tensor that a `Module` registers as one of its learnable weights.

Assigning a Parameter to a Module attribute (``self.weight = Parameter(...)``) is what puts it
in ``parameters()`` and ``state_dict()``. It wraps the given data without copying and requires
gradients by default.

    >>> Parameter(eager.tensor([1.0, 2.0]))
    Parameter containing:
    tensor([1., 2.], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from shared_ops import dtypes as dt

from ..tensor import Tensor


class Parameter(Tensor):
    """A learnable Tensor: ``Parameter(data=None, requires_grad=True)``; shares ``data``'s
    storage (and version counter) when given a Tensor."""

    __slots__ = ()

    def __init__(self, data: Tensor | np.ndarray | None = None, requires_grad: bool = True):
        if data is None:
            data = np.empty((0,), dtype=dt.DEFAULT_FLOAT)  # torch.empty(0)
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> Parameter:
        # PyTorch's Parameter copies its data and requires_grad but not its .grad (a plain
        # Tensor's deepcopy keeps it): copy.deepcopy(model) gives a model without gradients.
        new = super().__deepcopy__(memo)
        new.grad = None
        return new


class _BufferMeta(type):
    # ``isinstance(t, Buffer)`` for the plain Tensors ``Buffer(...)`` returns (PyTorch's rule).
    def __instancecheck__(cls, instance: object) -> bool:
        extra = getattr(instance, "_extra", None) if isinstance(instance, Tensor) else None
        return bool(extra and "buffer_persistent" in extra) or \
            super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """Marks a Tensor as module state that is not a parameter: assigned to a Module attribute,
    ``Buffer(data, persistent=True)`` is registered as a buffer (in ``state_dict`` unless not
    ``persistent``). What it returns is a plain Tensor sharing ``data``'s storage.

        >>> b = Buffer(eager.ones(2), persistent=False)
        >>> type(b).__name__, isinstance(b, Buffer)
        ('Tensor', True)
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Tensor:
        if data is None:
            data = Tensor(np.empty((0,), dtype=dt.DEFAULT_FLOAT))
        t = data.detach().requires_grad_(data.requires_grad)
        t._extra = {**(t._extra or {}), "buffer_persistent": bool(persistent)}
        return t


def buffer_persistence(value: object) -> bool | None:
    """``persistent`` of a Tensor made by `Buffer`, None for any other value."""
    extra = getattr(value, "_extra", None) if isinstance(value, Tensor) else None
    return extra.get("buffer_persistent") if extra else None
