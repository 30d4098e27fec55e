"""``eager.autograd.Function``: user-defined ops with a hand-written backward, as PyTorch's.

    >>> import eager
    >>> class Exp(eager.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         y = x.exp()
    ...         ctx.save_for_backward(y)
    ...         return y
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (y,) = ctx.saved_tensors
    ...         return grad * y
    >>> x = eager.tensor([0.0, 1.0], requires_grad=True)
    >>> Exp.apply(x).sum().backward()
    >>> x.grad
    tensor([1.0000, 2.7183])

How it sits on the tape: ``Exp.apply`` runs ``forward`` under ``no_grad`` and records one
`BackwardCFunction` entry (the ``ctx``, see `function_ctx`) as the outputs' ``grad_fn``; its
op's ``vjp`` calls ``backward``, on Tensors, under grad mode only with ``create_graph`` (so a
backward written with differentiable ops can be differentiated again). Several differentiable
outputs share the one entry as PyTorch's do (``a.grad_fn is b.grad_fn``): each output records
its position, and the engine sums each output's gradient under the entry's `OutputSlot` for it,
then calls the entry once with all of them (`custom_backward.output_slot`).
"""

from __future__ import annotations

import numpy as np

from shared_ops.errors import user_location

from ..tensor_base import TensorBase, wrap_array
from .anomaly import is_anomaly_enabled
from .custom_backward import SHARED_NODE_TYPES, FunctionOp, OutputSlot, copy_history
from .edges import rebase
from .function_ctx import BackwardCFunction
from .grad_mode import is_grad_enabled, no_grad
from .output_reads import reads_output
from .tangents import FORWARD_AD
from .tape_node import TapeNode
from .versions import bump

__all__ = ["Function", "FunctionCtx", "BackwardCFunction"]

# Where PyTorch's entry classes say they live (torch.autograd.function.MyFnBackward).
_PUBLIC_MODULE = "eager.autograd.function"

FunctionCtx = BackwardCFunction  # PyTorch's name for the type of ``ctx``
# The entry's own output array, which the engine's bookkeeping reads (its outputs' gradients
# come through the output slots instead).
_NO_OUTPUT = np.zeros(())


class Function:
    """Base class of ops with a custom backward: subclass with static ``forward(ctx, *args)``
    (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``) and
    ``backward(ctx, *grad_outputs)``, then call ``MyFn.apply(*args)``."""

    _backward_cls: type = BackwardCFunction
    _op = FunctionOp("Function")

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # type() with a name and a base class: no source is generated from the user's name.
        cls._backward_cls = type(f"{cls.__name__}Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls, "__module__": _PUBLIC_MODULE})
        cls._op = FunctionOp(cls.__name__)
        SHARED_NODE_TYPES.add(cls._backward_cls)
        own = _overridden(cls)
        cls._setup_context_style = "setup_context" in own
        # PyTorch's backward and vjp are aliases: a class may define either.
        cls._backward_name = "vjp" if "vjp" in own and "backward" not in own else "backward"

    @staticmethod
    def forward(ctx, *args, **kwargs):
        """Compute the outputs (runs under ``no_grad``)."""
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs: tuple, output) -> None:
        """Save what backward needs (the style where forward takes no ``ctx``)."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """One gradient per forward input (None for non-Tensors and unneeded ones)."""
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    @classmethod
    def vjp(cls, ctx, *grad_outputs):
        """Alias of ``backward``, as in PyTorch."""
        return cls.backward(ctx, *grad_outputs)

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` and record the call on the tape when an input requires grad."""
        ctx = object.__new__(cls._backward_cls)
        TapeNode.__init__(ctx, cls._op, {"ctx": ctx}, (), (), None, (), [0], 0, ())
        ctx.__init__()
        if is_anomaly_enabled():  # the user's line, named if backward fails (a stack walk)
            ctx.location = user_location()
        dual = any(isinstance(a, TensorBase) and a._extra is not None and "tangent" in a._extra
                   for a in args)
        if dual:  # forward-mode AD: forward sees the primals, the user's jvp the tangents
            args, tangents = FORWARD_AD["split_duals"](args)
        grad_on = is_grad_enabled()
        needs = tuple(grad_on and isinstance(a, TensorBase) and a._requires_grad for a in args)
        ctx.needs_input_grad = needs
        ctx.arg_is_tensor = tuple(isinstance(a, TensorBase) for a in args)
        with no_grad():
            if cls._setup_context_style:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        as_tuple = isinstance(outputs, tuple)
        outs = list(outputs) if as_tuple else [outputs]
        inputs = _inputs_for_tape(ctx, args, outs, True in needs)
        differentiable = []
        for k, o in enumerate(outs):
            if not isinstance(o, TensorBase):
                continue
            dirty = _contains(ctx.dirty_tensors, o)
            marked = _contains(ctx.non_differentiable, o)  # read before o becomes an alias
            if not dirty and _contains(args, o):  # an input returned as is: a view of it
                o = outs[k] = _alias(o)
            if True in needs and o._data.dtype.kind == "f" and not marked:
                differentiable.append(k)
        ctx.output_meta = tuple((o._data.shape, o._data.dtype) if isinstance(o, TensorBase)
                                else None for o in outs)
        ctx.record_saved()
        if differentiable:
            _attach(ctx, inputs, needs, args, outs, differentiable)
        else:
            for o in outs:  # e.g. an int output, or everything marked non-differentiable
                if isinstance(o, TensorBase) and o.grad_fn is not None and \
                        not _contains(args, o):
                    o.grad_fn, o._requires_grad = None, False
        if dual:
            FORWARD_AD["function_jvp"](cls, ctx, args, outs, tangents)
        return tuple(outs) if as_tuple else outs[0]


def _overridden(cls) -> set:
    names = set()
    for klass in cls.__mro__:
        if klass is Function:
            break
        names.update(vars(klass))
    return names


def _contains(items, t) -> bool:
    return any(x is t for x in items)


def _alias(t):
    """A new Tensor sharing ``t``'s storage and version counter (PyTorch returns a view)."""
    out = wrap_array(t._data, t._version_counter)
    out._extra = {"is_view": True}
    return out


def _inputs_for_tape(ctx, args: tuple, outs: list, wants: bool) -> list:
    """The Tensor inputs as the tape keeps them; an input forward modified in place
    (``mark_dirty``) is kept as a stand-in holding its history before the change."""
    for d in ctx.dirty_tensors:
        if not _contains(outs, d):
            raise RuntimeError("Some elements marked as dirty during the forward method were "
                               "not returned as output. The inputs that are modified inplace "
                               "must all be outputs of the Function.")
    inputs = []
    for a in args:
        if not isinstance(a, TensorBase):
            continue
        if _contains(ctx.dirty_tensors, a):
            a = _rebase_dirty(a, wants)
        inputs.append(a)
    return inputs


def _rebase_dirty(a, wants: bool):
    """The tape's stand-in for an input forward modified in place: it holds ``a``'s history
    before the change (``a`` itself becomes an output of the Function). Its version moves
    once more, as PyTorch's ``mark_dirty`` bumps it."""
    bump(a._version_counter)
    if not wants:
        return a
    if a._requires_grad and a.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an "
                           "in-place operation.")
    if a._extra and a._extra.get("is_view"):
        # The viewed tensor's grad_fn would not learn of the change (as in tensor_inplace).
        raise RuntimeError("mark_dirty: an in-place change of a view by a custom Function is "
                           "not supported when gradients are recorded: pass the viewed "
                           "tensor itself, or .clone() the view first")
    node = a.grad_fn
    if node is not None and node.out is a._data and not reads_output(node.op):
        # The producing entry's rule never reads its output (clone, add): the change cannot
        # corrupt its gradient, so its output version is no longer compared. An entry whose
        # rule reads it (exp) keeps the check and raises at backward, as PyTorch does.
        node.out_counter = [node.out_version]
    before = wrap_array(a._data, a._version_counter)
    before._requires_grad = a._requires_grad
    copy_history(before, a)
    return before


def _attach(ctx, inputs: list, needs: tuple, args: tuple, outs: list, differentiable: list):
    """Make ``ctx`` the grad_fn of every differentiable output (one shared entry, as PyTorch's:
    ``a.grad_fn is b.grad_fn``), each output knowing its position (``output_nr``)."""
    ctx.inputs = tuple(inputs)
    ctx.needs = tuple(n for a, n in zip(args, needs, strict=True) if isinstance(a, TensorBase))
    ctx.versions = (0,) * len(inputs)
    ctx.out = _NO_OUTPUT  # the outputs' gradients reach the rule through output_slots
    ctx.output_slots = tuple(OutputSlot() for _ in outs)
    for k in differentiable:
        t = outs[k]
        t._extra = {**(t._extra or {}), "output_nr": k}
        _set_history(t, ctx)


def _set_history(t, node) -> None:
    t._requires_grad = True
    if t.grad_fn is not None:  # an input marked dirty: earlier uses keep its old grad_fn
        rebase(t, node)
    else:
        t.grad_fn = node
