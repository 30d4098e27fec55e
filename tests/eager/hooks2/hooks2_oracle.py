"""Run one scenario under torch and under eager: the scenarios of this directory take the
library (``torch`` or ``eager``) as their argument and return plain Python data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import eager

torch = pytest.importorskip("torch")
LIBS = (torch, eager)


def same(scenario: Callable[[Any], Any]) -> Any:
    """``scenario(eager)``, after asserting that it equals ``scenario(torch)``."""
    theirs, ours = (scenario(lib) for lib in LIBS)
    assert ours == theirs
    return ours


def same_error(error: type[BaseException], scenario: Callable[[Any], Any]) -> str:
    """Both libraries raise ``error`` from ``scenario`` with the same text; returns it."""
    texts = []
    for lib in LIBS:
        with pytest.raises(error) as info:
            scenario(lib)
        texts.append(str(info.value))
    assert texts[1] == texts[0]
    return texts[0]
