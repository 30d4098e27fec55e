"""Padding layers, each `functional.pad` with a fixed mode: `ZeroPad1d`, `ZeroPad2d`,
`ConstantPad1d`, `ConstantPad2d`, `ReflectionPad1d`, `ReflectionPad2d`, `ReplicationPad1d`,
`ReplicationPad2d`, `CircularPad1d`, `CircularPad2d` and their 3-d forms. ``padding`` is an
int (every side) or a tuple ``(left, right[, top, bottom[, front, back]])``, printed as
PyTorch prints it.

    >>> ReflectionPad2d(1)
    ReflectionPad2d((1, 1, 1, 1))
"""

from __future__ import annotations

from typing import Any

from .functional_shape import pad
from .module import Module


class _Pad(Module):
    """Pad the last ``sides`` dims with ``mode``; a 2-d class says ``sides=2`` in its bases."""

    mode = "constant"
    sides = 1

    def __init_subclass__(cls, sides: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if sides is not None:
            cls.sides = sides

    def __init__(self, padding: Any) -> None:
        super().__init__()
        if isinstance(padding, int):
            self.padding: tuple = (padding,) * (2 * self.sides)
        else:
            self.padding = tuple(padding)
            if len(self.padding) != 2 * self.sides:
                raise ValueError(f"{type(self).__name__}: padding must be an int or a tuple of "
                                 f"{2 * self.sides}, got {padding!r}")

    def forward(self, input: Any) -> Any:
        return pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPad(_Pad):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Any) -> Any:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPad):
    """``ConstantPad1d(padding, value)``: the last dim padded with ``value``."""


class ConstantPad2d(_ConstantPad, sides=2):
    """``ConstantPad2d(padding, value)``: the last two dims padded with ``value``."""


class ZeroPad1d(_ConstantPad):
    """``ZeroPad1d(padding)``: the last dim padded with zeros."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ZeroPad1d, sides=2):
    """``ZeroPad2d(padding)``: the last two dims padded with zeros."""


class ReflectionPad1d(_Pad):
    """``ReflectionPad1d(padding)``: the last dim mirrored (the edge not repeated)."""

    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d, sides=2):
    """``ReflectionPad2d(padding)``: the last two dims mirrored."""


class ReplicationPad1d(_Pad):
    """``ReplicationPad1d(padding)``: the last dim's edge values repeated."""

    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d, sides=2):
    """``ReplicationPad2d(padding)``: the last two dims' edge values repeated."""


class CircularPad1d(_Pad):
    """``CircularPad1d(padding)``: the last dim wrapped around."""

    mode = "circular"


class CircularPad2d(CircularPad1d, sides=2):
    """``CircularPad2d(padding)``: the last two dims wrapped around."""


# The 3-d paddings (issue 16, F18): the last three dims, ``(left, right, top, bottom, front,
# back)``.
class ConstantPad3d(_ConstantPad, sides=3):
    """``ConstantPad3d(padding, value)``: the last three dims padded with ``value``."""


class ZeroPad3d(ZeroPad1d, sides=3):
    """``ZeroPad3d(padding)``: the last three dims padded with zeros."""


class ReflectionPad3d(ReflectionPad1d, sides=3):
    """``ReflectionPad3d(padding)``: the last three dims mirrored."""


class ReplicationPad3d(ReplicationPad1d, sides=3):
    """``ReplicationPad3d(padding)``: the last three dims' edge values repeated."""


class CircularPad3d(CircularPad1d, sides=3):
    """``CircularPad3d(padding)``: the last three dims wrapped around."""
