"""The TorchScript annotations programs put on ordinary Python, as PyTorch's eager behaviour
of them: ``ignore``, ``unused``, ``export``, ``script_if_tracing`` leave the function as it
is, ``annotate`` returns its value, ``Final`` is ``typing.Final``, ``is_scripting()`` is False
(nothing here compiles Python) and ``is_tracing()`` is True only while `jit.trace` runs the
code it records. ``fork``/``wait`` run the call at once and hand back a finished `Future`.

    >>> annotate(list, [])
    []
    >>> @ignore
    ... def helper(x):
    ...     return x + 1
    >>> helper(1), is_scripting(), is_tracing()
    (2, False, False)
"""

from __future__ import annotations

import contextlib
import threading
import typing
import warnings
from collections.abc import Callable, Iterator
from typing import Any

Final = typing.Final


class TracerWarning(Warning):
    """``torch.jit.TracerWarning``: a trace may not generalize to other inputs."""


class Error(Exception):
    """``torch.jit.Error``: an error raised by TorchScript code."""


class TracingCheckError(Exception):
    """``torch.jit.TracingCheckError``: a trace failed its check."""


class Attribute(typing.NamedTuple):
    """``torch.jit.Attribute(value, type)``: a typed attribute of a ScriptModule (assigning
    one stores ``value``)."""

    value: Any
    type: Any


_state = threading.local()


def is_scripting() -> bool:
    """False: `jit.script` here runs the Python code (see its docstring)."""
    return False


def is_tracing() -> bool:
    """Whether `jit.trace` is recording the code that asks (in this thread)."""
    return getattr(_state, "tracing", 0) > 0


@contextlib.contextmanager
def tracing() -> Iterator[None]:
    """Inside the block, `is_tracing` is True (used by `jit.trace`)."""
    _state.tracing = getattr(_state, "tracing", 0) + 1
    try:
        yield
    finally:
        _state.tracing -= 1


def _marker(fn: Callable | None, kind: str) -> Any:
    if fn is None:  # used as @ignore(drop=...): a decorator
        return lambda f: _marker(f, kind)
    # PyTorch's attribute, read by tools that check it (a builtin cannot carry it).
    with contextlib.suppress(AttributeError, TypeError):
        fn._torchscript_modifier = kind
    return fn


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """``@jit.ignore`` or ``@jit.ignore(drop=False)``: the function stays Python (here every
    function does); returns it unchanged."""
    if callable(drop):
        return _marker(drop, "ignore")
    return _marker(None, "unused" if drop else "ignore")


def unused(fn: Callable) -> Callable:
    """``@jit.unused``: the function is left out of a compiled module; returned unchanged."""
    return _marker(fn, "unused")


def export(fn: Callable) -> Callable:
    """``@jit.export``: the method is compiled as an entry point; returned unchanged."""
    return _marker(fn, "export")


def script_method(fn: Callable) -> Callable:
    """``@jit.script_method`` on a ScriptModule subclass's method: the method itself."""
    warnings.warn("`torch.jit.script_method` is deprecated. Please switch to `torch.compile` "
                  "or `torch.export`.", DeprecationWarning, stacklevel=1)
    return fn


def script_if_tracing(fn: Callable) -> Callable:
    """``@jit.script_if_tracing``: returned unchanged (it runs as Python while tracing too)."""
    return fn


def annotate(the_type: Any, the_value: Any) -> Any:
    """``jit.annotate(List[int], [])``: the value (the type is for the TorchScript compiler)."""
    return the_value


def interface(obj: Any) -> Any:
    """``@jit.interface``: the class itself."""
    warnings.warn("`torch.jit.interface` is deprecated. Please use `torch.compile` instead.",
                  DeprecationWarning, stacklevel=1)
    return obj


class Future:
    """What `fork` returns: the call's result, already computed (``wait()``/``value()``)."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def wait(self) -> Any:
        return self._value

    value = wait  # torch.futures.Future.value(): the same, for a finished future

    def done(self) -> bool:
        return True


def fork(func: Callable, *args: Any, **kwargs: Any) -> Future:
    """``jit.fork(fn, *args)``: runs ``fn(*args)`` now (PyTorch's eager mode does the same
    outside TorchScript) and returns a finished `Future`."""
    warnings.warn("`torch.jit.fork` is deprecated. Please use `torch.compile` instead.",
                  DeprecationWarning, stacklevel=1)
    return Future(func(*args, **kwargs))


def wait(future: Future) -> Any:
    """The result of a `fork`."""
    warnings.warn("`torch.jit.wait` is deprecated. Please use `torch.compile` instead.",
                  DeprecationWarning, stacklevel=1)
    return future.wait()


__all__ = ["Attribute", "Error", "Final", "Future", "TracerWarning", "TracingCheckError",
           "annotate", "export", "fork", "ignore", "interface", "is_scripting", "is_tracing",
           "script_if_tracing", "script_method", "tracing", "unused", "wait"]
