"""``eager.multiprocessing``: PyTorch's thin layer over Python's ``multiprocessing``, for the
programs that train in several processes (Hogwild: ``model.share_memory()`` then
``mp.Process(target=train, args=(model,))``; ``mp.spawn(fn, nprocs=n)``).

Everything of ``multiprocessing`` is here under its own name (``Process``, ``Queue``,
``set_start_method``...). Tensors are shared with *forked* children through
``Module.share_memory()`` / `eager.shared_memory`; sent through a queue, or to a child made by
the "spawn" method, a tensor is pickled (copied), as eager has no cross-process storage
handles: the sharing strategies exist for PyTorch's API only.

    >>> import eager.multiprocessing as mp
    >>> mp.get_all_sharing_strategies() == {"file_descriptor", "file_system"}
    True
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
import warnings
from collections.abc import Callable
from multiprocessing import *  # noqa: F403 (PyTorch's module re-exports all of it)
from multiprocessing.connection import wait
from typing import Any

__all__ = list(multiprocessing.__all__) + [
    "spawn", "start_processes", "ProcessContext", "ProcessException", "ProcessRaisedException",
    "ProcessExitedException", "set_sharing_strategy", "get_sharing_strategy",
    "get_all_sharing_strategies"]

_STRATEGIES = {"file_descriptor", "file_system"}
_strategy = "file_descriptor"


def get_all_sharing_strategies() -> set[str]:
    """PyTorch's strategies on Linux (accepted, without effect: see the module docstring)."""
    return set(_STRATEGIES)


def get_sharing_strategy() -> str:
    return _strategy


def set_sharing_strategy(new_strategy: str) -> None:
    global _strategy
    if new_strategy not in _STRATEGIES:
        raise AssertionError(f"invalid sharing strategy {new_strategy!r}: expected one of "
                             f"{sorted(_STRATEGIES)}")
    _strategy = new_strategy


class ProcessException(Exception):
    """A process started by `spawn` failed; ``error_index`` is its index, ``error_pid`` its
    pid."""

    def __init__(self, msg: str, error_index: int, error_pid: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.error_index = error_index
        self.error_pid = error_pid

    def __reduce__(self) -> tuple:
        return type(self), (self.msg, self.error_index, self.error_pid)


class ProcessRaisedException(ProcessException):
    """The process's function raised; the message holds its traceback."""


class ProcessExitedException(ProcessException):
    """The process exited with a non-zero code or was killed by a signal."""

    def __init__(self, msg: str, error_index: int, error_pid: int, exit_code: int,
                 signal_name: str | None = None) -> None:
        super().__init__(msg, error_index, error_pid)
        self.exit_code = exit_code
        self.signal_name = signal_name

    def __reduce__(self) -> tuple:
        return type(self), (self.msg, self.error_index, self.error_pid, self.exit_code,
                            self.signal_name)


def _run(fn: Callable, i: int, args: tuple, errors: Any) -> None:
    """A child's body: ``fn(i, *args)``; a raised exception's traceback goes to the parent."""
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass  # the parent is stopping everyone
    except Exception:
        errors.put((i, traceback.format_exc()))
        raise SystemExit(1) from None


class ProcessContext:
    """The processes `start_processes` started; ``join()`` waits for them, raising the first
    failure (after terminating the others)."""

    def __init__(self, processes: list, errors: Any) -> None:
        self.processes = processes
        self.errors = errors

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def join(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds; True when every process has finished."""
        running = [p for p in self.processes if p.exitcode is None]
        if running:
            wait([p.sentinel for p in running], timeout=timeout)
        failed = next((i for i, p in enumerate(self.processes)
                       if p.exitcode not in (None, 0)), None)
        if failed is None:
            return all(p.exitcode == 0 for p in self.processes)
        for p in self.processes:
            if p.is_alive():
                p.terminate()
            p.join()
        self._raise(failed)
        return False  # not reached

    def _raise(self, index: int) -> None:
        process = self.processes[index]
        if not self.errors.empty():
            i, text = self.errors.get()
            raise ProcessRaisedException(
                f"\n\n-- Process {i} terminated with the following error:\n{text}", i,
                self.processes[i].pid)
        code = process.exitcode
        if code < 0:
            name = signal.Signals(-code).name
            raise ProcessExitedException(f"process {index} terminated with signal {name}",
                                         index, process.pid, code, name)
        raise ProcessExitedException(f"process {index} terminated with exit code {code}",
                                     index, process.pid, code)


def start_processes(fn: Callable, args: tuple = (), nprocs: int = 1, join: bool = True,
                    daemon: bool = False, start_method: str = "spawn"
                    ) -> ProcessContext | None:
    """Run ``fn(i, *args)`` in ``nprocs`` processes started by ``start_method``; with
    ``join``, wait for all (None), else return their `ProcessContext`."""
    context = multiprocessing.get_context(start_method)
    errors = context.SimpleQueue()
    processes = []
    for i in range(nprocs):
        process = context.Process(target=_run, args=(fn, i, args, errors), daemon=daemon)
        process.start()
        processes.append(process)
    running = ProcessContext(processes, errors)
    if not join:
        return running
    while not running.join():
        pass
    return None


def spawn(fn: Callable, args: tuple = (), nprocs: int = 1, join: bool = True,
          daemon: bool = False, start_method: str = "spawn") -> ProcessContext | None:
    """`start_processes` with the "spawn" method (``fn`` must be importable by name); another
    ``start_method`` gets PyTorch's FutureWarning and is not used, as in PyTorch."""
    if start_method != "spawn":
        warnings.warn(f"This method only supports start_method=spawn (got: {start_method}).\n"
                      "To use a different start_method use:\n\t\t "
                      "torch.multiprocessing.start_processes(...)", FutureWarning, stacklevel=2)
    return start_processes(fn, args, nprocs, join, daemon, "spawn")
