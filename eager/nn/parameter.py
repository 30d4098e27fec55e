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
