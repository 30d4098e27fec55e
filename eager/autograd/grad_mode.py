"""Gradient mode: whether eager ops record themselves on the tape.

``no_grad`` / ``enable_grad`` work as context managers and as decorators, like PyTorch's:

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> with eager.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False

The flag lives in a one-element list read directly by the eager hot path (``_ENABLED[0]``):
a module global is the cheapest check Python offers, and this framework runs ops on one thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

_ENABLED = [True]


def is_grad_enabled() -> bool:
    """True when new eager ops record themselves for backward."""
    return _ENABLED[0]


def set_grad_enabled_flag(mode: bool) -> bool:
    """Set the flag and return the previous value (the primitive behind the managers)."""
    previous = _ENABLED[0]
    _ENABLED[0] = bool(mode)
    return previous


class _GradModeContext:
    """Base of the managers: sets the flag on enter, restores the previous value on exit."""

    _mode: bool = True

    def __init__(self) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(set_grad_enabled_flag(self._mode))

    def __exit__(self, *exc: Any) -> None:
        _ENABLED[0] = self._previous.pop()

    def __call__(self, fn: Callable) -> Callable:
        """Use as a decorator: the whole call runs under this mode (generators too)."""
        mode = self._mode
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                gen = fn(*args, **kwargs)
                previous = set_grad_enabled_flag(mode)
                try:
                    value = next(gen)
                finally:
                    _ENABLED[0] = previous
                while True:
                    try:
                        sent = yield value
                    except GeneratorExit:
                        gen.close()
                        raise
                    previous = set_grad_enabled_flag(mode)
                    try:
                        value = gen.send(sent)
                    except StopIteration as stop:
                        return stop.value
                    finally:
                        _ENABLED[0] = previous

            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            previous = set_grad_enabled_flag(mode)
            try:
                return fn(*args, **kwargs)
            finally:
                _ENABLED[0] = previous

        return wrapper


class no_grad(_GradModeContext):  # noqa: N801 (PyTorch's name)
    """Ops inside do not record for backward: results have ``requires_grad=False``."""

    _mode = False


class enable_grad(_GradModeContext):  # noqa: N801 (PyTorch's name)
    """Re-enable recording inside a ``no_grad`` block."""

    _mode = True


class set_grad_enabled(_GradModeContext):  # noqa: N801 (PyTorch's name)
    """``set_grad_enabled(False)`` as a context manager; calling it also sets the flag at once,
    as in PyTorch (``eager.set_grad_enabled(False)`` on its own line switches recording off)."""

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._mode = bool(mode)
        self._initial = set_grad_enabled_flag(mode)

    def __enter__(self) -> None:
        self._previous.append(self._initial)
        _ENABLED[0] = self._mode

    def __call__(self, fn: Callable) -> Callable:
        """As a decorator it only applies to the calls: undo the switch made by __init__."""
        _ENABLED[0] = self._initial
        return super().__call__(fn)
