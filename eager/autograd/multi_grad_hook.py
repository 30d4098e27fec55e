"""``autograd.graph.register_multi_grad_hook``: one hook over the gradients of several
tensors, as PyTorch's.

``mode="all"``: ``fn(grads)`` once per backward, after it finished computing the gradients
of ``tensors`` (None for a tensor the backward did not reach); ``mode="any"``: ``fn(grad)``
once per backward, on the first of them computed. Built on each tensor's own hook; "once the
backward finished" is a callback the engine runs at its end (`engine.queue_callback`).

    >>> import eager
    >>> a, b = eager.ones(2, requires_grad=True), eager.ones(2, requires_grad=True)
    >>> h = register_multi_grad_hook((a, b), lambda gs: print([g is None for g in gs]))
    >>> (a * 2).sum().backward()
    [False, True]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .engine import current_walk, queue_callback


class MultiHookHandle:
    """What `register_multi_grad_hook` returns: ``remove()`` takes every tensor's hook off."""

    def __init__(self, handles: list) -> None:
        self.handles = handles

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()

    def __enter__(self) -> MultiHookHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def register_multi_grad_hook(tensors: Sequence, fn: Callable, *,
                             mode: str = "all") -> MultiHookHandle:
    """Call ``fn`` with the gradients of ``tensors`` (``mode="all"``) or the first of them
    (``mode="any"``), once per backward."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state: dict = {"walk": None, "grads": None}  # the walk being collected and its gradients

    def finish() -> None:
        grads, state["walk"], state["grads"] = state["grads"], None, None
        if mode == "all":
            fn(tuple(grads))

    def hook_for(i: int) -> Callable:
        def hook(grad):
            walk = current_walk()
            if state["walk"] is not walk:  # the first of these gradients in this backward
                state["walk"], state["grads"] = walk, [None] * len(tensors)
                queue_callback(finish)
                if mode == "any":
                    fn(grad)
            state["grads"][i] = grad

        return hook

    return MultiHookHandle([t.register_hook(hook_for(i)) for i, t in enumerate(tensors)
                            if t.requires_grad])
