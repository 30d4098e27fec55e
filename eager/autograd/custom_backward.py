"""Backward of custom Functions: the ops their tape entries carry, and the call of the user's
``backward`` with PyTorch's checks of what it returns.

A `FunctionOp` is the op of a Function's entry: its gradient rule gathers the outputs'
gradients (zeros for those that got none, unless ``set_materialize_grads(False)``), calls
``backward`` on Tensors (under grad mode only with ``create_graph``, so a backward written
with differentiable ops can be differentiated again), and checks the count, the positions and
the shapes of the gradients as PyTorch does. The entry is the grad_fn of all its outputs, as
PyTorch's: the backward walk sums each output's gradient under the output's `OutputSlot` and
calls the rule once with the list of them.
"""

from __future__ import annotations

import numpy as np

from shared_ops.op_table import OPS

from ..tensor_base import TensorBase, wrap_array
from .grad_mode import enable_grad, no_grad

_SUM_TO = OPS["sum_to"]


def _expandable(shape: tuple, to: tuple) -> bool:
    """Whether ``shape`` broadcasts to ``to`` (PyTorch's is_expandable_to)."""
    if len(shape) > len(to):
        return False
    return all(a in (1, b) for a, b in zip(reversed(shape), reversed(to), strict=False))


class FunctionOp:
    """The op of a custom Function's entries (one per Function class, named after it): its
    gradient rule is the user's backward."""

    vjp_needs = False
    differentiable_output = True

    def __init__(self, name: str) -> None:
        self.name = name

    @staticmethod
    def vjp(g, inputs, out, ctx):
        return run_user_backward(ctx, g)


# The node types several outputs share as their grad_fn (every custom Function's ``ctx``
# class): the backward walk sums each output's gradient under the output's own `OutputSlot`
# (``node.output_slots[output_nr]``) and hands the node the list of them.
SHARED_NODE_TYPES: set[type] = set()


class OutputSlot:
    """Where the backward walk sums the gradient of one output of a shared node, with that
    output's hooks (``register_hook`` on the output tensor)."""

    __slots__ = ("hooks",)

    def __init__(self) -> None:
        self.hooks = None


def copy_history(dst, src) -> None:
    """Give ``dst`` the place of ``src`` in the graph (its grad_fn and, for one of several
    outputs of a shared node, which output it is): a stand-in for ``src``'s old value."""
    dst.grad_fn = src.grad_fn
    if src._extra and "output_nr" in src._extra:
        dst._extra = {**(dst._extra or {}), "output_nr": src._extra["output_nr"]}


def output_slot(t):
    """The key the backward walk sums ``t``'s gradient under: the `OutputSlot` of ``t`` when its
    grad_fn is shared by several outputs, else its grad_fn (None for a leaf)."""
    node = t.grad_fn
    if node is not None and type(node) in SHARED_NODE_TYPES:
        return node.output_slots[t._extra["output_nr"]]
    return node


def run_user_backward(ctx, g):
    """The entry's gradient rule: gather the outputs' gradients, call the user's backward,
    check what it returns and give one gradient per Tensor input."""
    grads = list(g)  # one per output (None where none arrived), from the engine's slots
    # the engine passes Tensors only with create_graph
    on_tensors = any(isinstance(x, TensorBase) for x in grads)
    for k, meta in enumerate(ctx.output_meta):
        if grads[k] is None:
            if meta is not None and ctx.materialize_grads:
                grads[k] = wrap_array(np.zeros(meta[0], meta[1]))
        elif not isinstance(grads[k], TensorBase):
            grads[k] = wrap_array(grads[k])
    cls = ctx._forward_cls
    with enable_grad() if on_tensors else no_grad():
        result = getattr(cls, cls._backward_name)(ctx, *grads)
    return _input_grads(ctx, result, on_tensors)


def _input_grads(ctx, result, on_tensors: bool) -> list:
    name = ctx.name()
    result = result if isinstance(result, tuple | list) else (result,)
    n_args = len(ctx.needs_input_grad)
    if len(result) > n_args and all(r is None for r in result[n_args:]):
        result = result[:n_args]  # PyTorch accepts trailing Nones
    if len(result) != n_args:
        raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                           f"(expected {n_args}, got {len(result)})")
    grads = []
    tensor_i = 0
    for position, (r, arg_is_tensor) in enumerate(zip(result, ctx.arg_is_tensor, strict=True)):
        if not arg_is_tensor:
            if r is not None:
                raise RuntimeError(f"function {name} returned a gradient different than None "
                                   f"at position {position + 1}, but the corresponding forward "
                                   "input was not a Variable")
            continue
        like = ctx.inputs[tensor_i]._data if tensor_i < len(ctx.inputs) else None
        tensor_i += 1
        if r is None or like is None:
            grads.append(None)
            continue
        if getattr(type(r), "is_sparse", None) is True:  # a COO gradient (eager/sparse)
            grads.append(r)
            continue
        data = r._data if isinstance(r, TensorBase) else np.asarray(r)
        if data.shape != like.shape:
            if not _expandable(like.shape, data.shape):
                got, want = list(data.shape), list(like.shape)
                raise RuntimeError(f"Function {name} returned an invalid gradient at index "
                                   f"{position} - got {got} but expected shape compatible "
                                   f"with {want}")
            # A gradient of the input broadcast to a larger shape: summed back, as PyTorch.
            r = _SUM_TO(r if on_tensors and isinstance(r, TensorBase) else data,
                        shape=like.shape)
            data = r._data if isinstance(r, TensorBase) else r
        if on_tensors:
            grads.append(r if isinstance(r, TensorBase) else wrap_array(data))
        else:
            grads.append(data)
    return grads
