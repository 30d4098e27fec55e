"""`here`: the line number of the line that calls it, for tests asserting that an error names
the user's own line (``f"{HERE}:{here()}"`` in the message)."""

from __future__ import annotations

import inspect


def here() -> int:
    """The caller's line number."""
    return inspect.currentframe().f_back.f_lineno
