"""The profiler's hook: while a profile records, every primitive op's kernel is swapped for a
timed wrapper, and `record_function` ranges are timed around what runs inside them.

Every op reaches NumPy through its ``kernel`` (eager's forward, the gradient rules run by
``backward``, the dispatcher's kernel path), so swapping the kernels sees every op, and
swapping them back leaves no trace: with no profile recording, the hot path runs exactly
the code it runs without a profiler (docs/PERFORMANCE.md, "profiler: kernels swapped only
while recording"). Times are wall-clock ``perf_counter_ns``; only the thread that started the
profile is recorded (other threads' ops run untimed), as PyTorch's profiler records the
threads it was enabled on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared_ops.op_table import OPS


@dataclass
class Event:
    """One timed call: ``name``, start and end (ns), the time its nested calls took, the
    input shapes (when recorded) and whether it is a user range (`record_function`)."""

    name: str
    start_ns: int
    end_ns: int = 0
    children_ns: int = 0
    shapes: list = field(default_factory=list)
    user: bool = False

    @property
    def total_us(self) -> float:
        return (self.end_ns - self.start_ns) / 1e3

    @property
    def self_us(self) -> float:
        return (self.end_ns - self.start_ns - self.children_ns) / 1e3


class Recorder:
    """The events of one recording window, nested by a stack of open ones."""

    def __init__(self, record_shapes: bool) -> None:
        self.record_shapes = record_shapes
        self.thread = threading.get_ident()
        self.events: list[Event] = []
        self.open: list[Event] = []

    def begin(self, name: str, args: tuple = (), user: bool = False) -> Event:
        shapes = [list(getattr(a, "shape", ())) for a in args] if self.record_shapes else []
        event = Event(name, time.perf_counter_ns(), shapes=shapes, user=user)
        self.open.append(event)
        return event

    def end(self, event: Event) -> None:
        event.end_ns = time.perf_counter_ns()
        if self.open and self.open[-1] is event:
            self.open.pop()
        if self.open:
            self.open[-1].children_ns += event.end_ns - event.start_ns
        self.events.append(event)


_active: Recorder | None = None
_originals: dict[Any, Callable] = {}


def active() -> Recorder | None:
    """The recorder of the window being recorded, if any."""
    return _active


def _timed(name: str, kernel: Callable) -> Callable:
    def run(*arrays: Any, **attrs: Any) -> Any:
        recorder = _active
        # A kernel captured while recording and called after it, or another thread's call.
        if recorder is None or recorder.thread != threading.get_ident():
            return kernel(*arrays, **attrs)
        event = recorder.begin(name, arrays)
        try:
            return kernel(*arrays, **attrs)
        finally:
            recorder.end(event)

    return run


def start(recorder: Recorder) -> None:
    """Record into ``recorder`` from now on (the kernels are swapped on the first start)."""
    global _active
    if _active is not None:
        raise RuntimeError("Profiler is already enabled on this thread")
    _active = recorder
    for op in list(OPS.values()):
        if getattr(op, "primitive", False) and op not in _originals:
            _originals[op] = op.kernel
            op.kernel = _timed(op.name, op.kernel)


def stop() -> None:
    """Stop recording and put every kernel back."""
    global _active
    _active = None
    for op, kernel in _originals.items():
        op.kernel = kernel
    _originals.clear()


__all__ = ["Event", "Recorder", "active", "start", "stop"]
