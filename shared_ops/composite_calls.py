"""Calls of composite ops: which form runs, and the stack of composite calls in progress.

A composite (`registry.Composite`) is evaluated through `call_composite`: its fused
*immediate* form when it has one and no argument is staged into a graph (eager values,
arrays), else its decomposition. The calls in progress form a per-thread stack: the static
builder stores it on every node it creates (fusion passes and diagrams read it), and an error
raised inside names the composite the user called (``cross_entropy -> nll_loss: ...``).
`decomposed` forces the decomposition for a block.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .dispatch import all_immediate
from .errors import OpError, user_location
from .thread_state import thread_setting

_state = threading.local()


def composite_stack() -> tuple[str, ...]:
    """Names of the composite ops being evaluated, outermost first (e.g. ``('cross_entropy',
    'log_softmax')``). The static builder stores it on every node it creates."""
    return tuple(getattr(_state, "stack", ()))


def decomposed():
    """Inside the ``with`` block (this thread), composites always run their decomposition,
    also on eager values: an eager tape recorded so lines up node for node with a traced
    graph (the compare harness's structural views use it)."""
    return thread_setting(_state, "decompose", True)


def call_composite(name: str, fn: Callable, args: tuple, kwargs: dict,
                   immediate: Callable | None = None):
    """Evaluate composite ``name``: ``immediate(*args, **kwargs)`` when it is given, no argument
    is staged into a graph and it does not answer NotImplemented; else ``fn``, the
    decomposition."""
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    stack.append(name)
    try:
        if immediate is not None and all_immediate(args, kwargs) \
                and not getattr(_state, "decompose", False):
            out = immediate(*args, **kwargs)
            if out is not NotImplemented:
                return out
        return fn(*args, **kwargs)
    except OpError as e:
        if len(stack) == 1 and e.op != name and not e.op.startswith(name + " -> "):
            e.op = f"{name} -> {e.op}"  # the user called `name`; say so first
        # A check in the composite's own code (not in an op) has no location yet.
        e.with_location(user_location())
        raise
    finally:
        stack.pop()
