"""The progress line of `dualgraph render` (and friends): silent for quick work, shown (with
the stage running) once the work passes its delay, erased at the end."""

from __future__ import annotations

import io
import time

from rich.console import Console

from compare.cli_progress import StageProgress


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100), out


def test_quick_work_prints_nothing():
    c, out = console()
    p = StageProgress(c, total=2, delay=5.0)
    p("tracing")
    p("drawing")
    p.stop()
    assert out.getvalue() == ""


def test_slow_work_shows_the_stage_after_the_delay():
    c, out = console()
    p = StageProgress(c, total=3, delay=0.05)
    p("laying out 7 diagrams")
    deadline = time.monotonic() + 5
    while "laying out 7 diagrams" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)  # the bar refreshes from its own thread
    p.stop()
    assert "laying out 7 diagrams" in out.getvalue()
    assert "0 done" in out.getvalue()
