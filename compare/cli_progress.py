"""A rich progress line that appears only when the work takes longer than a second.

`dualgraph render`, `summary` and `compare` share it: short work prints nothing extra, long
work (graphviz layouts of big graphs, compiling) says what it is doing and for how long.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

DELAY_S = 1.0


class StageProgress:
    """``progress(text)`` reports the stage now running; the bar starts after `DELAY_S`."""

    def __init__(self, console: Console | None = None, total: int | None = None,
                 delay: float = DELAY_S):
        self._bar = Progress(TextColumn("{task.description:<44}"), BarColumn(),
                             TextColumn("{task.completed} done"), TimeElapsedColumn(),
                             console=console or Console(file=sys.stderr), transient=True)
        self._task = self._bar.add_task("starting", total=total)
        self._calls = 0
        self._lock = threading.Lock()
        self._state = "waiting"  # -> "shown" after the delay, or "stopped" before it
        # A timer, not a check in __call__: one stage (a graphviz layout) may run a minute.
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._state == "waiting":
                self._bar.start()
                self._state = "shown"

    def __call__(self, text: str) -> None:
        """Stage ``text`` begins (and the one before it, if any, is done)."""
        self._bar.update(self._task, description=text, advance=1 if self._calls else 0)
        self._calls += 1

    def stop(self) -> None:
        """Erase the bar (if it was shown) and cancel the pending start."""
        self._timer.cancel()
        with self._lock:
            if self._state == "shown":
                self._bar.stop()
            self._state = "stopped"


@contextmanager
def stage_progress(total: int | None = None, console: Console | None = None
                   ) -> Iterator[StageProgress]:
    """A `StageProgress` that is stopped (and erased) when the block ends."""
    p = StageProgress(console, total)
    try:
        yield p
    finally:
        p.stop()
