"""Calls of composite ops: which form runs, and the stack of composite calls in progress.

A composite (`registry.Composite`) is evaluated by `call_composite`, its ``__call__``: its fused
*immediate* form when it has one and no argument is staged into a graph (eager values,
arrays), else its decomposition. The calls in progress form a per-thread stack: the static
builder stores it on every node it creates (fusion passes and diagrams read it), and an error
raised inside names the composite the user called (``cross_entropy -> nll_loss: ...``).
`decomposed` forces the decomposition for a block.
"""

from __future__ import annotations

import threading

from .dispatch import all_immediate
from .errors import OpError, user_location
from .thread_state import thread_setting


class _CallState(threading.local):
    """Per thread: the composite calls in progress, and whether `decomposed` is on."""

    decompose = False

    def __init__(self) -> None:
        self.stack: list[str] = []


_state = _CallState()


def composite_stack() -> tuple[str, ...]:
    """Names of the composite ops being evaluated, outermost first (e.g. ``('cross_entropy',
    'log_softmax')``). The static builder stores it on every node it creates."""
    return tuple(_state.stack)


def decomposed():
    """Inside the ``with`` block (this thread), composites always run their decomposition,
    also on eager values: an eager tape recorded so lines up node for node with a traced
    graph (the compare harness's structural views use it)."""
    return thread_setting(_state, "decompose", True)


def is_decomposing() -> bool:
    """True inside ``decomposed()`` in this thread (eager then records plain primitives only,
    no node of its own for several outputs: `eager.autograd.shared_views`)."""
    return _state.decompose


def call_composite(composite, *args, **kwargs):
    """``composite(*args, **kwargs)`` (this is `Composite.__call__`): its ``immediate`` form
    when it has one, no argument is staged into a graph and the form does not answer
    NotImplemented; else ``composite.fn``, the decomposition."""
    name, stack, immediate = composite.name, _state.stack, composite.immediate
    stack.append(name)
    try:
        if immediate is not None and not _state.decompose and all_immediate(args, kwargs):
            out = immediate(*args, **kwargs)
            if out is not NotImplemented:
                return out
        out = composite.fn(*args, **kwargs)
        if composite.torch_name is not None and not _state.decompose:
            _name_backward(out, composite, args, kwargs)
        return out
    except OpError as e:
        _name_error(e, name, outermost=len(stack) == 1)
        raise
    finally:
        stack.pop()


def _name_backward(out, composite, args: tuple, kwargs: dict) -> None:
    """Give the backward entry an eager mode recorded for ``out`` the composite's
    ``torch_name`` (a string, or ``f(kwargs, ndims, constants)`` as `Op`'s): the entry is its
    decomposition's last primitive, which would name it otherwise (``mean`` -> DivBackward0).
    Only a writable ``torch_name`` of a new entry (not an input's: the composite may return
    an input as it is) is set, the outermost composite's last; staged values have none.
    Several outputs (``split``, a sort's values and indices) are each named."""
    if not all_immediate(args, kwargs):
        return
    name = composite.torch_name
    if callable(name):
        name = name(kwargs, [getattr(a, "ndim", 0) for a in args],
                    [not hasattr(a, "grad_fn") for a in args])
    for value in out if isinstance(out, tuple | list) else (out,):
        grad_fn = getattr(value, "grad_fn", None)
        if getattr(grad_fn, "torch_name", False) is not False \
                and not any(getattr(a, "grad_fn", None) is grad_fn for a in args):
            grad_fn.torch_name = name


def _name_error(error: OpError, name: str, outermost: bool) -> None:
    """Name the op of ``error``, raised inside composite ``name``, as the user called it."""
    if outermost and error.op != name and not error.op.startswith(name + " -> "):
        error.op = f"{name} -> {error.op}"  # the user called `name`; say so first
    # A check in the composite's own code (not in an op) has no location yet.
    error.with_location(user_location())
