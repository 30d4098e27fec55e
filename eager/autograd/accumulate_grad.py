"""`AccumulateGrad`: the graph node of a leaf that requires grad, as PyTorch's; and
`accumulate_grad`, what backward does at a leaf (hooks, then ``.grad`` summed out of place).

It is what ``next_functions`` shows for such a leaf (``.variable`` is the leaf). One node per
leaf while anything holds it: the leaf keeps only a weak reference, as PyTorch's tensors do,
so no cycle ties a leaf to its node.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> acc = (x * 2).grad_fn.next_functions[0][0]
    >>> acc, acc.variable is x
    (<AccumulateGrad object at ...>, True)
"""

from __future__ import annotations

import weakref

import numpy as np

from ..tensor_base import TensorBase, wrap_array
from .custom_backward import copy_history
from .node_hooks import Node, run_posthooks, run_prehooks, run_tensor_hooks


class AccumulateGrad(Node):
    """Adds the gradient that reaches it into ``variable.grad``."""

    __slots__ = ("variable", "node_hooks", "__weakref__")

    def __init__(self, variable) -> None:
        self.variable = variable
        self.node_hooks = None

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


AccumulateGrad.__module__ = "builtins"  # prints as PyTorch's: <class 'AccumulateGrad'>


def grad_accumulator(leaf) -> AccumulateGrad:
    """The `AccumulateGrad` node of ``leaf`` (the same one while it is alive)."""
    extra = leaf._extra
    ref = extra.get("grad_accumulator") if extra else None
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(leaf)
        if leaf._extra is None:
            leaf._extra = {}
        leaf._extra["grad_accumulator"] = weakref.ref(node)
    return node


def _leaf_node_hooks(leaf):
    """The `node_hooks.NodeHooks` of ``leaf``'s AccumulateGrad node, if it has any."""
    ref = leaf._extra.get("grad_accumulator")
    node = ref() if ref is not None else None
    return None if node is None else node.node_hooks


def _before(hooks, g, create_graph: bool):
    """The gradient after the leaf node's pre-hooks."""
    return run_prehooks(hooks, g, create_graph) if hooks.pre else g


def _after(hooks, g, create_graph: bool) -> None:
    """Run the leaf node's hooks: ``hook((), (grad,))``, as PyTorch's (nothing to replace)."""
    if hooks.post:
        run_posthooks(hooks, (), (), g, create_graph)


def accumulate_grad(leaf, g, create_graph: bool, run_hooks: bool = True) -> None:
    """Add ``g`` to ``leaf.grad`` out of place, after the leaf's hooks (unless they ran) and its
    `AccumulateGrad` node's pre-hooks; then its post-accumulate-grad hooks and node hooks."""
    extra = leaf._extra
    if not extra:  # nearly every leaf: no hooks of any kind
        _accumulate(leaf, g, create_graph)
        return
    hooks = extra.get("hooks") if run_hooks else None
    if hooks:
        g = run_tensor_hooks(hooks, g, create_graph)
    node_hooks = _leaf_node_hooks(leaf) if "grad_accumulator" in extra else None
    if node_hooks is not None:
        g = _before(node_hooks, g, create_graph)
    _accumulate(leaf, g, create_graph)
    for hook in list(extra.get("post_accumulate_grad_hooks", ())):
        hook(leaf)
    if node_hooks is not None:
        _after(node_hooks, g, create_graph)


def _accumulate(leaf, g, create_graph: bool) -> None:
    if getattr(type(g), "is_sparse", None) is True:  # a COO gradient (eager/sparse): torch's
        leaf.grad = g if leaf.grad is None else g.accumulated_onto(leaf.grad)  # concatenation
        return
    if create_graph:
        g = g if isinstance(g, TensorBase) else wrap_array(np.asarray(g))
        if leaf.grad is None:
            # A fresh array under the same grad_fn: differentiable, but not shared.
            stored = wrap_array(np.array(g._data), None)
            stored._requires_grad = g._requires_grad
            copy_history(stored, g)
            leaf.grad = stored
        else:
            leaf.grad = leaf.grad + g
        return
    data = g._data if isinstance(g, TensorBase) else g
    if leaf.grad is None:
        # A copy, private and C-ordered: a rule may hand one array to several inputs (add
        # gives ``g`` to both), return a view of a saved value or the caller's own array.
        leaf.grad = wrap_array(np.array(data, order="C"))
    else:
        leaf.grad = wrap_array(np.asarray(leaf.grad._data + data))
