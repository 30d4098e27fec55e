"""Run one scenario under torch and under eager and compare: the scenarios of this directory
take the library (``torch`` or ``eager``) as their argument and return plain Python data."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

import eager

torch = pytest.importorskip("torch")


def under_both(scenario: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``(scenario(torch), scenario(eager))``, each after seeding its generator with 0."""
    results = []
    for lib in (torch, eager):
        lib.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results.append(scenario(lib))
    return results[0], results[1]


def rounded(t, digits: int = 5) -> Any:
    """A tensor's values as nested lists rounded to ``digits`` (None stays None)."""
    if t is None:
        return None
    values = t.detach().tolist()
    if isinstance(values, float):
        return round(values, digits)
    return _round_nested(values, digits)


def _round_nested(values: Any, digits: int) -> Any:
    if isinstance(values, list):
        return [_round_nested(v, digits) for v in values]
    return round(values, digits) if isinstance(values, float) else values


def same_error(error: type[BaseException], scenario: Callable[[Any], Any]) -> str:
    """Both libraries raise ``error`` from ``scenario`` with the same text; returns it."""
    texts = []
    for lib in (torch, eager):
        with pytest.raises(error) as info, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario(lib)
        texts.append(str(info.value))
    # A class named in the text lives in its own library.
    assert texts[1].replace("<class 'eager.", "<class 'torch.") == texts[0]
    return texts[0]
