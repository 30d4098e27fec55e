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

# The rank each product takes and PyTorch's message for each operand of another rank.
_RANKS = {"mm": (2, "self must be a matrix", "mat2 must be a matrix"),
          "bmm": (3, "batch1 must be a 3D tensor", "batch2 must be a 3D tensor")}


def _operand_shapes(name: str, input: Value, mat2: Value) -> tuple[tuple, tuple]:  # noqa: A002
    """Both operands' shapes, after PyTorch's rank checks of ``name``."""
    rank, first, second = _RANKS[name]
    a, b = shape_of(input), shape_of(mat2)
    for shape, message in ((a, first), (b, second)):
        if len(shape) != rank:
            raise RuntimeError(message)
    return a, b


def _differ(x, y) -> bool:
    return x is not None and y is not None and x != y


@composite(torch_name="MmBackward0")
def mm(input: Value, mat2: Value) -> Value:  # noqa: A002 -- torch's names
    """The product of two matrices (torch.mm): no broadcasting, no vectors."""
    a, b = _operand_shapes("mm", input, mat2)
    if _differ(a[1], b[0]):
        sizes = ("x".join("?" if d is None else str(d) for d in s) for s in (a, b))
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied ({} and {})"
                           .format(*sizes))
    return matmul(input, mat2)


@composite(torch_name="BmmBackward0")
def bmm(input: Value, mat2: Value) -> Value:  # noqa: A002 -- torch's names
    """The batched product of two 3-d tensors with the same batch size (torch.bmm)."""
    a, b = _operand_shapes("bmm", input, mat2)
    if _differ(a[0], b[0]) or _differ(a[2], b[1]):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"{[a[0], a[2]]} but got: {list(b[:2])}.")
    return matmul(input, mat2)


__all__ = ["mm", "bmm"]
