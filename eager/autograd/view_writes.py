"""An in-place op on a view of a recorded tensor, as PyTorch records it (``CopySlices``).

``y[:, 1].mul_(2)`` where ``y`` is in a graph:

1. the view's value now is taken as a recorded view of its base (``root_of``: the tensor that
   owns the storage) as the base is now (an ``AsStridedBackward0``), copied so that the
   in-place op's entry keeps the old values it may need;
2. the op runs out of place on it and the result is written into the view's memory (so into
   the base, and every other view of it);
3. the base is rebased onto a ``CopySlices`` entry (`view_nodes`): its gradient outside the
   written region goes to the base's old value, inside it to the op's result;
4. the view is rebased onto an ``AsStridedBackward0`` of the new base. Other views of the
   same base are regenerated when the backward walk meets a use of them made after the
   write (`history.resolve`), as PyTorch regenerates them when next used.

PyTorch's refusals are kept: a view of a leaf that requires grad, an output of an op that
returns several views (``split``, ``unbind``), and a view whose elements overlap in memory.
"""

from __future__ import annotations

import numpy as np

from ..tensor_base import wrap_array
from .custom_backward import FunctionOp, copy_history
from .edges import rebase
from .output_reads import reads_saved_output
from .shared_views import MultiOutputNode
from .tangents import carry_tangent, carry_to_base, tangent_of
from .versions import bump
from .view_nodes import as_strided_node, copy_slices_node, may_overlap, positions, root_of

VIEW_OF_LEAF = ("a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.")
OVERLAPPING = ("unsupported operation: more than one element of the written-to tensor refers to "
               "a single memory location. Please clone() the tensor before performing the "
               "operation.")


def _multi_output_message(view, node) -> str:
    name = type(node).__name__
    short = name[:-len("Backward0")] if name.endswith("Backward0") else name
    nr = view._extra.get("output_nr", 0) if view._extra else 0
    return (f"Output {nr} of {short} is a view and is being modified inplace. This view is the "
            "output of a function that returns multiple views. Such functions do not allow the "
            "output views to be modified inplace. You should replace the inplace operation by "
            "an out-of-place one.")


def _custom_function_message(view, node) -> str:
    nr = view._extra.get("output_nr", 0) if view._extra else 0
    return (f"Output {nr} of {node.op.name} is a view and is being modified inplace. This view "
            "was created inside a custom Function (or because an input was returned as-is) and "
            "the autograd logic to handle view+inplace would override the custom backward "
            "associated with the custom Function, leading to incorrect gradients. This behavior "
            "is forbidden. You can fix this by cloning the output of the custom Function.")


NO_GRAD_VIEW = ("A view was created in no_grad mode and is being modified inplace with grad mode "
                "enabled. Given that this use case is ambiguous and error-prone, it is "
                "forbidden. You can clarify your code by moving both the view and the inplace "
                "either both inside the no_grad block (if you don't want the inplace to be "
                "tracked) or both outside (if you want the inplace to be tracked).")


def check_no_grad_view(view, recording: bool) -> None:
    """PyTorch's refusal of an in-place op with grad mode on through a view made under
    ``no_grad`` (of a base that requires grad, or with an operand that does)."""
    if isinstance(getattr(view.grad_fn, "op", None), FunctionOp):
        return  # a custom Function's output (its forward runs without grad): its own error
    if view._extra.get("no_grad_view") and (recording or root_of(view)._requires_grad):
        raise RuntimeError(NO_GRAD_VIEW)


def is_recorded_view(t) -> bool:
    """True for a view made by an op (it knows its base), which an in-place op rebases."""
    return bool(t._extra and "base" in t._extra)


def keep_output(node, data: np.ndarray, copy=None) -> None:
    """Before ``data`` (the output of ``node``) is overwritten in place: if the node's rule
    reads its output, give it a copy (``copy``, a Tensor, or a new one), so its gradient stays
    that of the value it made.

    PyTorch raises at backward instead where its node saved the output (exp, sigmoid); here
    rules read their output where PyTorch's saved inputs (div, mean), and no table says which
    of PyTorch's nodes save what, so the value is kept rather than a spurious error raised.
    """
    if node.out is data and reads_saved_output(node):
        kept = data.copy() if copy is None else copy._data
        node.out, node.out_counter, node.out_version = kept, [0], 0


def write_through_view(view, compute, others: tuple, write) -> None:
    """``view`` overwritten by ``compute(view, *others)``, recorded as PyTorch records it
    (see the module docstring); ``write(view, result)`` stores the result's values."""
    node = view.grad_fn
    if isinstance(node, MultiOutputNode):
        raise RuntimeError(_multi_output_message(view, node))
    if isinstance(getattr(node, "op", None), FunctionOp):
        raise RuntimeError(_custom_function_message(view, node))
    root = root_of(view)
    if root.grad_fn is None and root._requires_grad:
        raise RuntimeError(VIEW_OF_LEAF)
    where = positions(view._data, root._data)
    if where is None:
        raise RuntimeError("an in-place operation on this view of a tensor that requires grad "
                           "is not supported (its memory is not a strided view of its base's "
                           "elements): use an out-of-place op, or .clone() the view first")
    if may_overlap(view._data) and np.unique(where).size != where.size:
        raise RuntimeError(OVERLAPPING)
    # 1. the view's current value, a copy (the op's entry may save it), recorded as a view of
    # the base as it is now (whatever the view's own, possibly stale, grad_fn says)
    current = wrap_array(view._data.copy())
    if view._extra is not None and tangent_of(view) is not None:
        carry_tangent(current, view)  # forward-mode AD: the old value's tangent
    if root._requires_grad:
        current._requires_grad = True
        current.grad_fn = as_strided_node(root, current._data, where=where)
    # 2. the op, out of place, written into the view's memory (the base's own entry keeping
    # its output if it reads it)
    if root.grad_fn is not None:
        keep_output(root.grad_fn, root._data)
    result = compute(current, *others)
    write(view, result)
    bump(view._version_counter)
    if not hasattr(result, "_version_counter"):  # a plain value (a constant fill)
        result = wrap_array(np.asarray(result))
    # 3. the base: CopySlices of a stand-in for its old value and the written values
    old = wrap_array(root._data)
    old._requires_grad = root._requires_grad
    copy_history(old, root)
    rebase(root, copy_slices_node(old, result, root, where))
    root._requires_grad = True
    # 4. the view: a view of the new base
    rebase(view, as_strided_node(root, view._data, where=where))
    view._requires_grad = True
    if view._extra is not None or result._extra is not None:  # forward-mode AD
        carry_tangent(view, result)
        carry_to_base(view, root, where)


def tangent_to_base(view) -> None:
    """After a write into ``view`` outside any graph: its base's forward-mode tangent takes
    the view's at the written positions (nothing to do when neither carries one)."""
    root = root_of(view)
    if tangent_of(view) is None and tangent_of(root) is None:
        return
    where = positions(view._data, root._data)
    if where is not None:
        carry_to_base(view, root, where)
