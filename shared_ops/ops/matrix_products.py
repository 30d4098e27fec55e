"""``torch.mm`` and ``torch.bmm`` as composites of ``matmul`` with PyTorch's rank and size
checks: ``mm`` takes two matrices, ``bmm`` two 3-d batches of equal size. (``matmul`` itself
broadcasts and accepts vectors, which these do not.) Their gradient nodes carry torch's names,
``MmBackward0`` and ``BmmBackward0``.

    >>> import numpy as np
    >>> bmm(np.ones((2, 1, 3)), np.ones((2, 3, 4))).shape
    (2, 1, 4)
"""

from __future__ import annotations

from ..registry import composite
from ._rules import shape_of
from ._types import Value
from .linalg import matmul


def _size(shape: tuple) -> str:
    return "x".join("?" if d is None else str(d) for d in shape)


@composite(torch_name="MmBackward0")
def mm(input: Value, mat2: Value) -> Value:  # noqa: A002 -- torch's names
    """The product of two matrices (torch.mm): no broadcasting, no vectors."""
    a, b = shape_of(input), shape_of(mat2)
    if len(a) != 2:
        raise RuntimeError("self must be a matrix")
    if len(b) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if None not in (a[1], b[0]) and a[1] != b[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_size(a)} and "
                           f"{_size(b)})")
    return matmul(input, mat2)


@composite(torch_name="BmmBackward0")
def bmm(input: Value, mat2: Value) -> Value:  # noqa: A002 -- torch's names
    """The batched product of two 3-d tensors with the same batch size (torch.bmm)."""
    a, b = shape_of(input), shape_of(mat2)
    if len(a) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(b) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    want = [a[0], a[2]]
    if any(w is not None and d is not None and w != d for w, d in zip(want, b[:2],
                                                                     strict=True)):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"{want} but got: {list(b[:2])}.")
    return matmul(input, mat2)


__all__ = ["mm", "bmm"]
