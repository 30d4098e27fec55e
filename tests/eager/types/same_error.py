"""`assert_same_error`: one call written for both libraries raises the same exception type
with the same message in eager as in torch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import eager


def assert_same_error(kind: type[BaseException], call: Callable[[Any], Any]) -> None:
    """``call(torch)`` and ``call(eager)`` both raise ``kind`` with the same message."""
    torch = pytest.importorskip("torch")
    with pytest.raises(kind) as theirs:
        call(torch)
    with pytest.raises(kind) as ours:
        call(eager)
    assert str(ours.value) == str(theirs.value)
