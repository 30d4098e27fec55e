"""`Node`, the base of every autograd graph node (PyTorch's ``torch.autograd.graph.Node``),
and the hooks registered on a node itself.

A node's *pre-hook* ``hook(grad_outputs)`` runs before its gradient rule and may return new
``grad_outputs``; its *hook* ``hook(grad_inputs, grad_outputs)`` runs after and may return new
``grad_inputs`` (one per input, None where the input takes no gradient), as in PyTorch. They
live in a `NodeHooks` made on first use (``node.node_hooks`` is None for nearly every node, so
the backward walk pays one slot read per node), with the node's ``metadata`` dict.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> y = x * 2
    >>> h = y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    >>> y.sum().backward()
    >>> x.grad
    tensor([20., 20.])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tensor_base import TensorBase, wrap_array


class HookHandle:
    """What registering a hook returns: ``handle.remove()`` unregisters it (also a context
    manager, as PyTorch's ``RemovableHandle``)."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        """Unregister the hook (again: nothing happens)."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


class NodeHooks:
    """A node's own pre-hooks, hooks and ``metadata``; ``saved``: what saved-tensor hooks
    packed of its saved values (`recording.PackedSaved`), else None."""

    __slots__ = ("pre", "post", "metadata", "saved")

    def __init__(self) -> None:
        self.pre: list = []
        self.post: list = []
        self.metadata: dict = {}
        self.saved = None


class Node:
    """Base class of autograd graph nodes (``grad_fn`` objects and `AccumulateGrad`): every
    one has a ``name()``, ``next_functions``, ``metadata`` and takes hooks."""

    __slots__ = ()

    def name(self) -> str:
        """The node's PyTorch name (``MulBackward0``): its class's, unless it says otherwise."""
        return type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """``((node, output_nr), ...)``: where the gradient of each input goes (a node with
        inputs says; this base has none)."""
        return ()

    @property
    def metadata(self) -> dict:
        """A dict for the user's own notes about this node (the same dict every time)."""
        return own_hooks(self).metadata

    def register_prehook(self, fn: Callable) -> HookHandle:
        """Call ``fn(grad_outputs)`` before this node's gradient rule; a returned tuple
        replaces ``grad_outputs``."""
        hooks = own_hooks(self).pre
        hooks.append(fn)
        return HookHandle(hooks, fn)

    def register_hook(self, fn: Callable) -> HookHandle:
        """Call ``fn(grad_inputs, grad_outputs)`` after this node's gradient rule; a returned
        tuple replaces ``grad_inputs``."""
        hooks = own_hooks(self).post
        hooks.append(fn)
        return HookHandle(hooks, fn)


Node.__module__ = "eager.autograd.graph"  # where PyTorch's users import it from


def own_hooks(node) -> NodeHooks:
    """``node``'s `NodeHooks`, made on first use."""
    if node.node_hooks is None:
        node.node_hooks = NodeHooks()
    return node.node_hooks


def _as_tensor(g):
    if g is None or isinstance(g, TensorBase):
        return g
    return wrap_array(np.asarray(g))


def _as_value(g, create_graph: bool):
    """A gradient a hook returned, as the walk holds it: a Tensor with ``create_graph``, an
    array otherwise."""
    if g is None or create_graph:
        return _as_tensor(g)
    return np.asarray(g._data if isinstance(g, TensorBase) else g)


def _replace(name: str, result, n: int, create_graph: bool) -> list:
    if not isinstance(result, tuple | list) or len(result) != n:
        raise RuntimeError(f"hook '{name}' has returned an incorrect number of values (got "
                           f"{len(result) if isinstance(result, tuple | list) else 1}, but "
                           f"expected {n})")
    return [_as_value(r, create_graph) for r in result]


def run_prehooks(hooks: NodeHooks, g, create_graph: bool):
    """``g`` (one gradient, or a list per output of a shared node) after the node's
    pre-hooks, in the same form."""
    many = isinstance(g, list)
    grads = [_as_tensor(x) for x in g] if many else [_as_tensor(g)]
    for hook in list(hooks.pre):
        result = hook(tuple(grads))
        if result is not None:
            grads = [_as_tensor(x) for x in _replace(getattr(hook, "__name__", "hook"),
                                                    result, len(grads), True)]
    values = [_as_value(x, create_graph) for x in grads]
    return values if many else values[0]


def run_posthooks(hooks: NodeHooks, grads, needs: tuple, g, create_graph: bool):
    """The gradients a node's rule returned (one per input), after the node's hooks."""
    grad_inputs = tuple(_as_tensor(x) if need else None
                        for x, need in zip(grads, needs, strict=True))
    grad_outputs = tuple(_as_tensor(x) for x in g) if isinstance(g, list) \
        else (_as_tensor(g),)
    for hook in list(hooks.post):
        result = hook(grad_inputs, grad_outputs)
        if result is not None:
            grad_inputs = tuple(_as_tensor(x) for x in _replace(
                getattr(hook, "__name__", "hook"), result, len(grad_inputs), True))
    return [_as_value(x, create_graph) for x in grad_inputs]


def run_tensor_hooks(hooks, g, create_graph: bool):
    """``g`` after a tensor's own hooks (``register_hook``): each gets the gradient as a Tensor
    and may return a replacement (kept a Tensor with ``create_graph``, else an array)."""
    for hook in list(hooks):
        result = hook(g if isinstance(g, TensorBase) else wrap_array(g))
        if result is not None:
            g = result if create_graph else np.asarray(getattr(result, "_data", result))
    return g
