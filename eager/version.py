"""``eager.__version__`` and ``eager.version``: which PyTorch release's API eager follows.

Programs print ``torch.__version__`` and compare it (``torch.__version__ >= "2.0"``,
``version.parse(torch.__version__)``). Eager reports the PyTorch release it is written and
tested against, 2.13.0, with the local label ``+dualgraph`` naming what it really is; as
PyTorch's ``TorchVersion``, it compares with strings and tuples by release number, not as text.

    >>> __version__ >= "2.0", __version__ < "2.13.1", __version__ >= (2, 13)
    (True, True, True)
"""

from __future__ import annotations

import re
from typing import Any

_RELEASE = re.compile(r"(\d+(?:\.\d+)*)")


def _release(value: Any) -> tuple[int, ...]:
    if isinstance(value, tuple):
        return tuple(int(v) for v in value)
    match = _RELEASE.match(str(value))
    if match is None:
        raise ValueError(f"Invalid version: {value!r}")
    return tuple(int(part) for part in match.group(1).split("."))


def _padded(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


class TorchVersion(str):
    """A version string that compares by its release numbers (``"2.13.0+x" > "2.2"``)."""

    __slots__ = ()

    def _cmp(self, other: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return _padded(_release(self), _release(other))

    def __lt__(self, other: Any) -> bool:
        a, b = self._cmp(other)
        return a < b

    def __le__(self, other: Any) -> bool:
        a, b = self._cmp(other)
        return a <= b

    def __gt__(self, other: Any) -> bool:
        a, b = self._cmp(other)
        return a > b

    def __ge__(self, other: Any) -> bool:
        a, b = self._cmp(other)
        return a >= b

    def __eq__(self, other: Any) -> bool:
        # A string is equal only as written (the local label counts, as for packaging's
        # Version); a tuple is a release.
        if isinstance(other, tuple):
            a, b = self._cmp(other)
            return a == b
        return str.__eq__(self, other)

    __hash__ = str.__hash__


__version__ = TorchVersion("2.13.0+dualgraph")
cuda = None  # no CUDA in this build, as in PyTorch's CPU builds
hip = None
debug = False

__all__ = ["TorchVersion", "__version__", "cuda", "hip", "debug"]
