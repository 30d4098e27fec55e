"""`profile` (``torch.profiler.profile``), `schedule` and `record_function`: record the ops a
block runs, with their CPU times, in windows a schedule chooses.

    >>> import eager
    >>> with profile(activities=[ProfilerActivity.CPU]) as prof:
    ...     with record_function("forward"):
    ...         y = (eager.ones(4, 4) @ eager.ones(4, 4)).sum()
    >>> sorted(row.key for row in prof.key_averages())
    ['forward', 'matmul', 'sum']
"""

from __future__ import annotations

import enum
import functools
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from . import recorder
from .events import EventList, averages, export_chrome_trace


class ProfilerActivity(enum.Enum):
    """What to profile: only ``CPU`` exists on this build (the others record nothing)."""

    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5


class ProfilerAction(enum.Enum):
    """What a `schedule` asks of a step."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


_RECORDING = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)


def supported_activities() -> set[ProfilerActivity]:
    """``{ProfilerActivity.CPU}``."""
    return {ProfilerActivity.CPU}


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0) -> Callable[[int], ProfilerAction]:
    """PyTorch's schedule: after ``skip_first`` steps, cycles of ``wait`` idle, ``warmup``
    and ``active`` recorded steps (the last one saves), ``repeat`` times (0: forever)."""
    if min(wait, warmup, repeat, skip_first) < 0 or active <= 0:
        raise AssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
            f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
            f"skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results",
                      stacklevel=2)

    def action(step: int) -> ProfilerAction:
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        cycle = wait + warmup + active
        if skip_first_wait:
            step += wait  # the first cycle starts without its wait
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        at = step % cycle
        if at < wait:
            return ProfilerAction.NONE
        if at < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if at < cycle - 1 else ProfilerAction.RECORD_AND_SAVE

    return action


def _always(step: int) -> ProfilerAction:
    return ProfilerAction.RECORD


class profile:  # noqa: N801 (PyTorch's name)
    """``with profile(...) as prof:`` records the ops the block runs (see the module
    docstring); ``prof.step()`` advances the ``schedule``; ``on_trace_ready(prof)`` runs when
    a recorded window ends. ``profile_memory``, ``with_stack``, ``with_flops`` and
    ``with_modules`` are accepted and record nothing more."""

    def __init__(self, *, activities: Iterable | None = None,
                 schedule: Callable[[int], ProfilerAction] | None = None,
                 on_trace_ready: Callable | None = None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False,
                 with_flops: bool = False, with_modules: bool = False,
                 experimental_config: Any = None, execution_trace_observer: Any = None,
                 acc_events: bool = False, use_cuda: bool | None = None,
                 custom_trace_id_callback: Callable | None = None,
                 post_processing_timeout_s: float | None = None) -> None:
        self.activities = set(activities) if activities is not None else supported_activities()
        self.schedule = schedule or _always
        self.on_trace_ready = on_trace_ready
        self.record_shapes = record_shapes
        self.step_num = 0
        self.current_action = self.schedule(0)
        self._window: recorder.Recorder | None = None
        self._finished: recorder.Recorder | None = None
        self._origin_ns = time.perf_counter_ns()

    # -- the window being recorded -------------------------------------------------------------
    def _transition(self, previous: ProfilerAction | None, now: ProfilerAction) -> None:
        if previous in _RECORDING and (now not in _RECORDING
                                       or previous is ProfilerAction.RECORD_AND_SAVE):
            self._close_window()
        if now in _RECORDING and self._window is None and ProfilerActivity.CPU in \
                self.activities:
            self._window = recorder.Recorder(self.record_shapes)
            recorder.start(self._window)

    def _close_window(self) -> None:
        if self._window is not None:
            recorder.stop()
            self._finished, self._window = self._window, None
            if self.on_trace_ready is not None:
                self.on_trace_ready(self)

    def start(self) -> None:
        self._transition(None, self.current_action)

    def stop(self) -> None:
        self._close_window()

    def step(self) -> None:
        """Mark a step: the schedule's next action takes effect."""
        previous = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._transition(previous, self.current_action)

    def __enter__(self) -> profile:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- results ---------------------------------------------------------------------------------
    def _events(self) -> list:
        if self._finished is None:
            raise AssertionError("Profiler didn't finish running")
        return self._finished.events

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        """One row per op or range name (and per input shapes when grouped by them)."""
        return averages(self._events(), group_by_input_shape)

    def events(self) -> list:
        """The recorded calls, in the order they ended."""
        return list(self._events())

    def export_chrome_trace(self, path: str | os.PathLike) -> None:
        """Write the last window's timeline as Chrome trace JSON."""
        export_chrome_trace(self._events(), path, self._origin_ns)


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None,
                              use_gzip: bool = False,
                              use_python_export: bool = False) -> Callable[[profile], None]:
    """An ``on_trace_ready`` that writes each window's trace into ``dir_name`` as
    ``<worker>.<time in ms>.pt.trace.json`` (PyTorch's names)."""
    if use_gzip:
        raise NotImplementedError("tensorboard_trace_handler(use_gzip=True) is not supported "
                                  "here: traces are written as plain JSON")

    def handle(prof: profile) -> None:
        os.makedirs(dir_name, exist_ok=True)
        worker = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        name = f"{worker}.{time.time_ns() // 1_000_000}.pt.trace.json"
        prof.export_chrome_trace(os.path.join(dir_name, name))

    return handle


class record_function:  # noqa: N801 (PyTorch's name)
    """``with record_function("name"):`` (or as a decorator) makes the block a row of the
    profile, its CPU total covering the ops inside; costs one check when nothing records."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name
        self.args = args
        self._event: recorder.Event | None = None

    def __enter__(self) -> record_function:
        window = recorder.active()
        if window is not None and window.thread == threading.get_ident():
            self._event = window.begin(self.name, user=True)
        return self

    def __exit__(self, *exc: object) -> None:
        window = recorder.active()
        if self._event is not None and window is not None:
            window.end(self._event)
        self._event = None

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)

        return run


__all__ = ["ProfilerAction", "ProfilerActivity", "profile", "record_function", "schedule",
           "supported_activities", "tensorboard_trace_handler"]
