"""Backward of custom Functions: the ops their tape entries carry, and the call of the user's
``backward`` with PyTorch's checks of what it returns.

A `FunctionOp` is the op of a Function's entry: its gradient rule gathers the outputs'
gradients (zeros for those that got none, unless ``set_materialize_grads(False)``), calls
``backward`` on Tensors (under grad mode only with ``create_graph``, so a backward written
with differentiable ops can be differentiated again), and checks the count, the positions and
the shapes of the gradients as PyTorch does. With several differentiable outputs, each output
gets an `OutputNode`, whose op hands its gradient to the shared entry and sends a token down a
hidden edge (see `custom_function`).
"""

from __future__ import annotations

import numpy as np

from shared_ops.op_table import OPS

from ..tensor_base import TensorBase, wrap_array
from .grad_mode import enable_grad, no_grad
from .tape_node import TapeNode

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


class _OutputOp:
    """The op of an `OutputNode`: hand ``g`` to the shared entry, send a token down."""

    name = "custom_function_output"
    vjp_needs = False
    differentiable_output = True

    @staticmethod
    def vjp(g, inputs, out, ctx, index):
        pending = ctx.pending_grads
        pending[index] = g if pending[index] is None else pending[index] + g
        token = np.zeros((), np.float32)
        return (wrap_array(token) if isinstance(g, TensorBase) else token,)


OUTPUT_OP = _OutputOp()


class OutputNode(TapeNode):
    """``grad_fn`` of one output of a custom Function with several differentiable outputs:
    named, printed and read (``saved_tensors``, attributes) as the shared ``ctx``."""

    __slots__ = ()

    def name(self) -> str:
        return self.attrs["ctx"].name()

    def __getattr__(self, item):
        return getattr(self.attrs["ctx"], item)

    @property
    def next_functions(self) -> tuple:
        """The shared entry's: the producers of the Function's inputs."""
        return self.attrs["ctx"].next_functions

    def __repr__(self) -> str:
        return repr(self.attrs["ctx"])


def run_user_backward(ctx, g):
    """The entry's gradient rule: gather the outputs' gradients, call the user's backward,
    check what it returns and give one gradient per Tensor input."""
    on_tensors = isinstance(g, TensorBase)  # the engine passes Tensors only with create_graph
    if ctx.output_index is not None:
        grads = [None] * len(ctx.output_meta)
        grads[ctx.output_index] = g
    else:
        grads, ctx.pending_grads = ctx.pending_grads, [None] * len(ctx.output_meta)
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
