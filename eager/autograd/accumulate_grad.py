"""`AccumulateGrad`: the graph node of a leaf that requires grad, as PyTorch's.

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

from .node_hooks import Node, run_posthooks, run_prehooks


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


def leaf_node_hooks(leaf):
    """The `node_hooks.NodeHooks` of ``leaf``'s AccumulateGrad node, if it has any."""
    ref = leaf._extra.get("grad_accumulator")
    node = ref() if ref is not None else None
    return None if node is None else node.node_hooks


def before_accumulate(hooks, g, create_graph: bool):
    """The gradient after the leaf node's pre-hooks."""
    return run_prehooks(hooks, g, create_graph) if hooks.pre else g


def after_accumulate(hooks, g, create_graph: bool) -> None:
    """Run the leaf node's hooks: ``hook((), (grad,))``, as PyTorch's (nothing to replace)."""
    if hooks.post:
        run_posthooks(hooks, (), (), g, create_graph)
