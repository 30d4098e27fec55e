"""Version counters, and one process-wide count of in-place writes.

Every Tensor has a version counter: a one-element list shared by the tensors viewing the same
storage, bumped by every in-place write. A tape entry saves its inputs' and output's versions;
backward compares them and raises on a change (a saved value overwritten in place would give a
silently wrong gradient).

Comparing every entry's versions on every backward costs a loop per node, yet in the common
training step nothing is written in place between the forward and its backward (the optimizer
writes after). So `bump` also stamps a process-wide *write epoch* with a value never used
before, and each entry remembers the epoch it was recorded in: an entry whose epoch is still
current has seen no in-place write anywhere since, and its check is skipped (a measured
trick: docs/PERFORMANCE.md). It holds only while every in-place write calls `bump`.

    >>> counter = [0]
    >>> before = epoch()
    >>> bump(counter)
    >>> counter[0], epoch() != before
    (1, True)
"""

from __future__ import annotations

import itertools

# `next` on a count is atomic under the GIL: each write stores a value no thread stored before,
# so "epoch unchanged" always means "no write since", even with writes from several threads.
_WRITE_IDS = itertools.count(1)
_write_epoch = 0


def epoch() -> int:
    """The current write epoch (changes on every in-place write to any tensor)."""
    return _write_epoch


def bump(counter: list) -> None:
    """Record an in-place write to the storage whose version counter is ``counter``."""
    global _write_epoch
    counter[0] += 1
    _write_epoch = next(_WRITE_IDS)
