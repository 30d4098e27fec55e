"""PyTorch's type-promotion functions: ``promote_types``, ``result_type``, ``can_cast``,
``is_complex``, over eager's dtypes and `shared_ops.dtypes`' promotion table.

    >>> promote_types(d.uint8, d.int8), can_cast(d.float32, d.int32)
    (torch.int16, False)
    >>> result_type(tensor_base.wrap_array(np.ones(2, np.int32)), 2.5)
    torch.float32
"""

from __future__ import annotations

import numpy as np

from shared_ops import dtypes as dt

from .. import tensor_base
from . import dtypes as d

__all__ = ["promote_types", "result_type", "can_cast", "is_complex"]


def _checked(fn: str, arg: str, position: int, value) -> d.dtype:
    if not isinstance(value, d.dtype):
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be torch.dtype, "
                        f"not {type(value).__name__}")
    return value


def promote_types(type1: d.dtype, type2: d.dtype) -> d.dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to without losing their
    category (``int32, float16 -> float16``; ``uint8, int8 -> int16``)."""
    a = _checked("promote_types", "type1", 1, type1).numpy_dtype
    b = _checked("promote_types", "type2", 2, type2).numpy_dtype
    return d.BY_NUMPY[dt.result_dtype(a, b)]


def can_cast(from_: d.dtype, to: d.dtype) -> bool:
    """Whether PyTorch's casting rules allow ``from_ -> to``: never to a lower category
    (floating -> integer, integer -> bool)."""
    a = _checked("can_cast", "from_", 1, from_).numpy_dtype
    b = _checked("can_cast", "to", 2, to).numpy_dtype
    return dt.category(a) <= dt.category(b)


def result_type(tensor1, tensor2) -> d.dtype:
    """The dtype of an arithmetic op on ``tensor1`` and ``tensor2`` (tensors or Python
    numbers), by PyTorch's three tiers: tensors with dims, zero-dim tensors, then numbers (a
    float number counts as the default dtype), each lower tier counting only when of a higher
    category."""
    tiers: list[np.dtype | None] = [None, None, None]
    for value in (tensor1, tensor2):
        if isinstance(value, tensor_base.TensorBase):
            array = value.numpy()
            tier, own = (0 if array.ndim else 1), array.dtype
        elif isinstance(value, bool | int | float | complex):
            tier, own = 2, dt.scalar_dtype(value)
        else:
            raise TypeError(f"result_type(): expected a Tensor or a number, got "
                            f"{type(value).__name__}")
        tiers[tier] = own if tiers[tier] is None else dt.result_dtype(tiers[tier], own)
    return d.BY_NUMPY[dt.combine_tiers(tiers[0], dt.combine_tiers(tiers[1], tiers[2]))]


def is_complex(input) -> bool:  # noqa: A002  (PyTorch's name)
    """True for a complex64/complex128 tensor."""
    return input.dtype.is_complex
