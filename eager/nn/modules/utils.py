"""``eager.nn.modules.utils``: the argument normalisers layers written for PyTorch import
(``from torch.nn.modules.utils import _pair``): an int becomes an n-tuple of it, an iterable
a tuple of its items.

    >>> _pair(3), _pair((1, 2)), _triple(0)
    ((3, 3), (1, 2), (0, 0, 0))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["_ntuple", "_single", "_pair", "_triple", "_quadruple", "_reverse_repeat_tuple"]


def _ntuple(n: int, name: str = "parse") -> Callable[[Any], tuple]:
    """The normaliser to ``n``-tuples, named ``name``."""
    def parse(x: Any) -> tuple:
        return tuple(x) if isinstance(x, Iterable) else (x,) * n
    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")
_quadruple = _ntuple(4, "_quadruple")


def _reverse_repeat_tuple(t: tuple, n: int) -> tuple:
    """Each item of ``t`` repeated ``n`` times, last item first (the padding order F.pad
    takes): ``(1, 2)``, 2 -> ``(2, 2, 1, 1)``."""
    return tuple(x for x in reversed(t) for _ in range(n))
