"""Helpers of the complex-number tests: a call raising what torch raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import eager

torch = pytest.importorskip("torch")


def assert_raises_as_torch(call: Callable[[Any], Any]) -> None:
    """``call(torch)`` raises; ``call(eager)`` raises the same type with the same message."""
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(eager)
    assert str(ours.value) == str(theirs.value)
