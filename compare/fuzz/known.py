"""Findings not fixed yet, recognized by their signature so that runs can look past them.

Each `KnownBug` names the strict-xfail regression test that pins it
(tests/fuzz/test_regressions.py); when the bug is fixed, that test starts passing (and fails
as XPASS), and the entry here must go. The CI-budget run and ``python -m compare.fuzz`` drop
a case only when *every* mismatch of it fits one known signature.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .check import Mismatch
from .program import Program


@dataclass(frozen=True)
class KnownBug:
    test: str
    matches: Callable[[Program, Sequence[Mismatch]], bool]


# Empty: every finding so far is fixed (see tests/fuzz/test_regressions.py).
KNOWN: list[KnownBug] = []


def known_bug(program: Program, found: Sequence[Mismatch]) -> KnownBug | None:
    """The known bug explaining all of ``found``, if one does."""
    return next((k for k in KNOWN if found and k.matches(program, found)), None)
