"""`Size`: a tensor's shape, as PyTorch's ``torch.Size`` (a tuple of ints).

    >>> s = Size([2, 3])
    >>> s
    torch.Size([2, 3])
    >>> s[1:], s + (4,), s.numel(), s == (2, 3)
    (torch.Size([3]), torch.Size([2, 3, 4]), 6, True)
"""

from __future__ import annotations

import math
import operator

__all__ = ["Size"]


class Size(tuple):
    """The shape of a tensor: a tuple subclass (equal to, and hashing as, the plain tuple)
    whose slices, sums and repeats stay Sizes and which prints as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __new__(cls, sizes=()) -> Size:
        items = tuple(sizes)
        for v in items:
            if type(v) is not int:  # ints in disguise (np.int64, a 0-d integer tensor) count
                return tuple.__new__(cls, [_as_int(i, v) for i, v in enumerate(items)])
        return tuple.__new__(cls, items)

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds (1 for ``Size([])``)."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def __getitem__(self, key):
        if isinstance(key, slice):
            return tuple.__new__(Size, tuple.__getitem__(self, key))
        return tuple.__getitem__(self, key)

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            "torch.Size")
        return tuple.__new__(Size, tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple.__add__(other, self))

    def __mul__(self, n):
        return tuple.__new__(Size, tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


def _as_int(i: int, v) -> int:
    try:
        return operator.index(v)
    except TypeError:
        raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is "
                        f"'{type(v).__name__}')") from None
