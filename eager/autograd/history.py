"""Which ``grad_fn`` a tensor had when a tape entry used it: the graph's edges as recorded.

The backward walk finds an entry's producers through its input Tensors (``t.grad_fn``), read
when backward runs. An in-place op changes a tensor's ``grad_fn`` (the tensor is *rebased*
onto the node of the op), and a write through a view rebases the view's base; entries
recorded before the write must still reach the old node, as PyTorch's edges, fixed when an
op is recorded, do. So `edges.rebase` keeps a tensor's earlier ``grad_fn``\\ s (in ``_extra``,
oldest first) and `edges.grad_fn_at` answers "the grad_fn when the entry numbered ``seq`` was
recorded": the newest one recorded before it (nodes are numbered in recording order,
`TapeNode.seq`).

A view made before a write into its base (through another view, or the base itself) and used
after it holds stale history: its values now depend on the write. PyTorch regenerates such a
view's grad_fn when it is next used (an ``AsStridedBackward0`` of the base); here the walk
does it when it meets the use: `resolve` returns a fresh `view_nodes.as_strided_node` of the
base as it was then. All of this runs only on graphs that saw an in-place write after some of
their entries were recorded (the engine's slow path): a plain forward and backward never
calls it.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> y = x * 2
    >>> z = y + 1          # recorded while y was MulBackward0's output
    >>> _ = y.mul_(3)      # y rebased onto a new MulBackward0
    >>> grad_fn_at(y, z.grad_fn.seq) is z.grad_fn.inputs[0].grad_fn
    False
    >>> type(grad_fn_at(y, z.grad_fn.seq)).__name__
    'MulBackward0'
"""

from __future__ import annotations

from .edges import grad_fn_at
from .view_nodes import as_strided_node, positions, root_of


def resolve(t, seq: float, made: dict):
    """The node the gradient of ``t`` goes to from the entry numbered ``seq``: its grad_fn
    then, or, for a view whose base was rebased between the view's own entry and ``seq``, a
    regenerated ``AsStridedBackward0`` of the base as it was at ``seq`` (``made`` caches
    those per view and base node, for one walk)."""
    fn = grad_fn_at(t, seq)
    if fn is None or not (t._extra and "base" in t._extra):
        return fn
    root = root_of(t)
    now = grad_fn_at(root, seq)
    if now is None or now is grad_fn_at(root, fn.seq):
        return fn
    key = (id(t), id(now))
    node = made.get(key)
    if node is None:
        where = positions(t._data, root._data)
        if where is None:  # not a strided view of the base's elements: as recorded
            return fn
        node = made[key] = as_strided_node(root, t._data, now, where)
    return node
