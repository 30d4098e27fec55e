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


def _log_softmax_fusion(program: Program, found: Sequence[Mismatch]) -> bool:
    # Only the whole pipeline runs fold_constants before fuse.
    return any(s.entry == "log_softmax" for s in program.stmts) and all(
        m.executor in ("compiled", "compiled[dynamic]") and m.what.startswith("grad")
        for m in found)


KNOWN: list[KnownBug] = [
    KnownBug("test_fold_then_fuse_log_softmax_gradient", _log_softmax_fusion),
]


def known_bug(program: Program, found: Sequence[Mismatch]) -> KnownBug | None:
    """The known bug explaining all of ``found``, if one does."""
    return next((k for k in KNOWN if found and k.matches(program, found)), None)
