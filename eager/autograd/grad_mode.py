"""Gradient mode: whether eager ops record themselves on the tape, kept per thread.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work as context
managers and as decorators (with or without parentheses where PyTorch allows it):

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> with eager.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False

As in PyTorch the mode belongs to the thread: ``no_grad`` in one thread leaves every other
thread recording, and a new thread starts with gradients enabled, whatever its parent's mode.

Every entry of a context saves the state it found, on a stack of this thread's open contexts,
so one instance may be re-entered, or entered from several threads at once. Contexts that
exit out of order (enter A, enter B, exit A, exit B) still end where they began: see
`_exit_out_of_order`.
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

# What ``eager.autograd`` and ``eager`` re-export (``from .grad_mode import *``).
__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled"]

class ThreadState(threading.local):
    """What eager keeps per thread: the grad mode, read by the hot path as
    ``thread_state.grad_enabled``, and the contexts open in the thread."""

    def __init__(self) -> None:
        # threading.local runs this once in each thread, on its first read of any attribute,
        # so a new thread needs no setup call and starts with gradients on, as in PyTorch.
        self.grad_enabled = True
        self.inference = False
        # The open contexts, innermost last: (owner, saved grad_enabled, saved inference).
        self.open: list[tuple] = []
        # One list of queued callbacks per backward walk running in the thread (engine).
        self.backward_runs: list[list] = []
        # NumPy's error state is per thread and eager's kernels want IEEE results (log(0) is
        # -inf, silently; shared_ops sets that for the importing thread only). Set here, once
        # per thread, instead of np.errstate around each kernel (docs/PERFORMANCE.md): the
        # hot path (tensor.apply) reads this state on every op, so each thread sets it before
        # its first kernel runs.
        np.seterr(divide="ignore", over="ignore", under="ignore", invalid="ignore")


thread_state = ThreadState()


def is_grad_enabled() -> bool:
    """True when new eager ops in this thread record themselves for backward."""
    return thread_state.grad_enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()`` in this thread."""
    return thread_state.inference


def _exit_out_of_order(frames: list, owner: object) -> None:
    """Close ``owner``'s innermost open context, which is not the thread's innermost one."""
    # A context entered after ``owner`` is still open: it keeps the mode it set and takes over
    # what ``owner`` saved, so that the thread returns to the state from before both once it
    # exits too. (Restoring ``owner``'s saved state now would undo the inner context while it
    # is open, and its exit would then reinstate ``owner``'s mode for good.)
    for i in range(len(frames) - 2, -1, -1):
        if frames[i][0] is owner:
            frames[i + 1] = (frames[i + 1][0], *frames[i][1:])
            del frames[i]
            return
    raise RuntimeError(f"{type(owner).__name__}.__exit__ without a matching __enter__ in this "
                       "thread: a grad-mode context must be exited by the thread that entered "
                       "it")


class _GradMode:
    """Base of the managers: ``__enter__`` saves this thread's state on its stack of open
    contexts and sets the grad flag to ``_grad``; ``__exit__`` restores what was saved.

    The decorator form runs each call (each step of a generator) inside the context, as
    PyTorch's ``_DecoratorContextManager`` does.
    """

    _grad = True

    def __enter__(self) -> None:
        state = thread_state
        state.open.append((self, state.grad_enabled, state.inference))
        state.grad_enabled = self._grad

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        state = thread_state
        frames = state.open
        if frames and frames[-1][0] is self:  # the usual case: the innermost context exits
            _, state.grad_enabled, state.inference = frames.pop()
        else:
            _exit_out_of_order(frames, self)

    def __call__(self, fn: Callable) -> Callable:
        func = fn
        if inspect.isclass(fn):
            warnings.warn("Decorating classes is deprecated and will be disabled in future "
                          "versions. You should only decorate functions or methods. To "
                          "preserve the current behavior of class decoration, you can "
                          "directly decorate the `__init__` method and nothing else.",
                          FutureWarning, stacklevel=2)
            func = lambda *args, **kwargs: fn(*args, **kwargs)  # noqa: E731 (as PyTorch)
        if inspect.isgeneratorfunction(func):
            return _wrap_generator(self, func)

        @functools.wraps(func)
        def decorate_context(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return decorate_context


def _wrap_generator(ctx: _GradMode, fn: Callable) -> Callable:
    """``fn``'s generators run each step (send, throw, close) inside ``ctx``, and the caller's
    code between steps under the caller's own mode."""

    @functools.wraps(fn)
    def generator_context(*args, **kwargs):
        gen = fn(*args, **kwargs)
        try:
            with ctx:
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with ctx:
                        gen.close()
                    raise
                except BaseException as exc:
                    with ctx:
                        response = gen.throw(exc)
                else:
                    with ctx:
                        response = gen.send(request)
        except StopIteration as stop:
            return stop.value

    return generator_context


class _NoParam(_GradMode):
    """``@no_grad`` and ``@no_grad()`` both decorate, as in PyTorch."""

    def __new__(cls, orig_func: Callable | None = None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParam):  # noqa: N801 (PyTorch's name)
    """Ops inside do not record for backward: results have ``requires_grad=False``."""

    _grad = False


class enable_grad(_NoParam):  # noqa: N801 (PyTorch's name)
    """Re-enable recording inside a ``no_grad`` block."""

    _grad = True


class set_grad_enabled(_GradMode):  # noqa: N801 (PyTorch's name)
    """``set_grad_enabled(False)`` switches recording off at once, as in PyTorch: on its own
    line it lasts until switched back; as ``with set_grad_enabled(mode):`` the block's exit
    restores the state from before the call; as a decorator it only applies to the calls."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not "
                            f"{type(mode).__name__}")
        self.mode = self._grad = mode
        state = thread_state
        # What the first entry restores: the state from before the switch made here (kept
        # with the thread's list of open contexts, to recognise the thread).
        self._before: tuple | None = (state.grad_enabled, state.open)
        state.grad_enabled = mode

    def __enter__(self) -> None:
        state = thread_state
        before, self._before = self._before, None
        if before is not None and before[1] is state.open:
            # Entered right after the call: save the state from before the call's switch.
            state.open.append((self, before[0], state.inference))
            state.grad_enabled = self.mode
        else:  # re-entered, or entered in another thread: save what is there now
            super().__enter__()

    def __call__(self, fn: Callable) -> Callable:
        state = thread_state
        before, self._before = self._before, None
        if before is not None and before[1] is state.open:
            state.grad_enabled = before[0]  # undo the switch: only the calls run in the mode
        return super().__call__(fn)

    def __repr__(self) -> str:
        return f"eager.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


class inference_mode(_GradMode):  # noqa: N801 (PyTorch's name)
    """``no_grad`` that also reports ``is_inference_mode_enabled()``; inside
    ``inference_mode(False)`` both are off (recording on), as in PyTorch. Tensors made inside
    are ordinary tensors that do not require grad (PyTorch's "inference tensors" add checks
    that eager does not make)."""

    def __new__(cls, mode: Any = True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # @inference_mode without parentheses

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode
        self._grad = not mode

    def __enter__(self) -> None:
        super().__enter__()
        thread_state.inference = self.mode
