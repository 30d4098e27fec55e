"""The error check the layer tests against torch share: the same exception type and text."""

from __future__ import annotations

from collections.abc import Callable

import pytest


def assert_same_error(error: type[BaseException], ours: Callable[[], object],
                      theirs: Callable[[], object]) -> None:
    """``theirs()`` (torch) and ``ours()`` (eager) both raise ``error``, with equal messages."""
    with pytest.raises(error) as expected:
        theirs()
    with pytest.raises(error) as got:
        ours()
    assert str(got.value) == str(expected.value)
