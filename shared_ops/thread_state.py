"""Per-thread settings that a ``with`` block changes and then restores.

The dispatcher's "run composites decomposed" switch and the errors' pinned user location are
both such settings: thread-local, so a block in one thread never changes what another sees.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def thread_setting(state: threading.local, name: str, value: Any) -> Iterator[None]:
    """Set ``state.<name>`` to ``value`` for this thread inside the block (nesting restores
    the outer value; an unset name reads as None afterwards)."""
    previous = getattr(state, name, None)
    setattr(state, name, value)
    try:
        yield
    finally:
        setattr(state, name, previous)
