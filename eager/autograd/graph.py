"""``eager.autograd.graph``, PyTorch's module of the same name: the graph's node type.

    >>> import eager
    >>> y = eager.ones(2, requires_grad=True) * 2
    >>> isinstance(y.grad_fn, Node), isinstance(y.grad_fn.next_functions[0][0], Node)
    (True, True)
"""

from __future__ import annotations

from .node_hooks import Node

__all__ = ["Node"]
