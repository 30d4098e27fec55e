"""`RemovableHandle`: what registering a hook returns, so the caller can take it off again;
`add_hook` registers one (Module and optimizer hooks alike); `BackwardHook` runs a Module's
full backward hooks (``register_full_backward_hook``)."""

from __future__ import annotations

import itertools
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable

from shared_ops.errors import user_location

from ..autograd.custom_function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor

_ids = itertools.count()


class RemovableHandle:
    """Removes one hook from the dict it was registered in.

        >>> handle = module.register_forward_hook(print_shapes)
        >>> handle.remove()  # the hook runs no more

    Also a context manager: ``with module.register_forward_hook(h): ...``.
    """

    def __init__(self, hooks: dict, *, extra_dict: dict | list | None = None):
        self.hooks = hooks
        self.id = next(_ids)
        # The side tables that flag this hook (``with_kwargs``, ``always_call``), emptied
        # together with it, as PyTorch's handle does.
        self.extra_dicts = [] if extra_dict is None else \
            list(extra_dict) if isinstance(extra_dict, list) else [extra_dict]

    def remove(self) -> None:
        self.hooks.pop(self.id, None)
        for table in self.extra_dicts:
            table.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def add_hook(hooks: OrderedDict, hook: Callable, prepend: bool = False,
             flags: tuple[tuple[dict, bool], ...] = ()) -> RemovableHandle:
    """Put ``hook`` in ``hooks`` (last, or first when ``prepend``) and return its handle;
    each ``(table, on)`` of ``flags`` marks the hook in ``table`` when ``on`` (and its handle
    removes it from there too)."""
    handle = RemovableHandle(hooks, extra_dict=[table for table, _ in flags])
    hooks[handle.id] = hook
    for table, on in flags:
        if on:
            table[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


# --- module backward hooks ----------------------------------------------------------------------
# As PyTorch's BackwardHook: the forward's Tensor inputs and outputs pass through an identity
# autograd Function, whose backward sees exactly the gradients w.r.t. the module's outputs (on
# the way in) and w.r.t. its inputs (on the way out) and lets the user's hooks replace them.

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.")


class BackwardHookFunction(Function):
    """Identity on the Tensors it gets; its backward hands their gradients to ``stage``
    (a `BackwardHook` method) and returns what that gives back. Tensors that do not require
    grad come out non-differentiable, as in PyTorch."""

    @staticmethod
    def forward(ctx, stage, materialize, *tensors):
        ctx.stage = stage
        ctx.set_materialize_grads(materialize)
        # Those that do not require grad come out as detached aliases: marked so, they get no
        # gradient (an input returned as is would be taken for a differentiable view of it).
        outs = tuple(t if t.requires_grad else t.detach() for t in tensors)
        ctx.mark_non_differentiable(*[t for t in outs if not t.requires_grad])
        return outs

    @staticmethod
    def backward(ctx, *grads):
        return (None, None) + tuple(ctx.stage(grads))


def user_stacklevel() -> int:
    """The ``stacklevel`` at which a warning issued by the caller names the user's line (the
    first frame outside the framework, as PyTorch's warnings from backward name the
    ``backward()`` call)."""
    where = user_location(2)
    frame, level = sys._getframe(1), 1
    while frame is not None and where is not None:
        if frame.f_code.co_filename == where.filename and frame.f_lineno == where.lineno:
            return level
        frame, level = frame.f_back, level + 1
    return 2


def _pack_with_none(indices: list, values, size: int) -> tuple:
    """A ``size``-tuple with ``values`` at ``indices`` and None elsewhere (non-Tensor args)."""
    out = [None] * size
    for i, v in zip(indices, values, strict=True):
        out[i] = v
    return tuple(out)


class BackwardHook:
    """One forward call's backward hooks: `setup_input_hook` wraps the forward's Tensor
    arguments, `setup_output_hook` its Tensor outputs; at backward, the output stage runs the
    pre-hooks on grad_output, the input stage the full hooks on (grad_input, grad_output)."""

    def __init__(self, module, user_hooks: list, user_pre_hooks: list) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs = 0
        self.n_outputs = 0
        self.input_tensors_index: list | None = None
        self.output_tensors_index: list | None = None

    def _apply_on_tensors(self, stage, materialize: bool, args: tuple
                          ) -> tuple[tuple, list | None]:
        """``args`` with its Tensors passed through a `BackwardHookFunction` (when any of
        them requires grad and grad mode is on) and the Tensors' positions (None otherwise)."""
        index = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        if not (is_grad_enabled() and any(args[i].requires_grad for i in index)):
            return args, None
        wrapped = BackwardHookFunction.apply(stage, materialize, *(args[i] for i in index))
        out = list(args)
        for i, t in zip(index, wrapped, strict=True):
            out[i] = t
        return tuple(out), index

    def setup_input_hook(self, args: tuple) -> tuple:
        """Wrap the forward's arguments; their gradients reach `_input_stage`."""
        # Gradients of unused inputs arrive as zeros there, as PyTorch's node hook sees them.
        res, self.input_tensors_index = self._apply_on_tensors(self._input_stage, True, args)
        self.n_inputs = len(args)
        return res

    def setup_output_hook(self, result):
        """Wrap the forward's output (a Tensor or a tuple); its gradients reach
        `_output_stage`."""
        as_tuple = isinstance(result, tuple)
        outputs = result if as_tuple else (result,)
        # Outputs that got no gradient arrive as None, as in PyTorch's pre-hook.
        res, self.output_tensors_index = self._apply_on_tensors(self._output_stage, False,
                                                                outputs)
        self.n_outputs = len(outputs)
        return res if as_tuple else res[0]

    def _output_stage(self, grads: tuple) -> tuple:
        self.grad_outputs = _pack_with_none(self.output_tensors_index, grads, self.n_outputs)
        for hook in self.user_pre_hooks:
            result = hook(self.module, self.grad_outputs)
            if result is None:
                continue
            if len(result) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of "
                                   f"grad_output, got {len(result)}, but expected "
                                   f"{len(self.grad_outputs)}")
            self.grad_outputs = tuple(result)
        local = self.grad_outputs
        if self.input_tensors_index is None:
            # No input requires grad: the input stage never comes, so the hooks run here.
            warnings.warn(_NO_INPUT_GRAD_WARNING, stacklevel=user_stacklevel())
            grad_inputs = (None,) * self.n_inputs
            for hook in self.user_hooks:
                result = hook(self.module, grad_inputs, self.grad_outputs)
                if result is not None and not (isinstance(result, tuple)
                                               and all(r is None for r in result)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        return tuple(local[i] for i in self.output_tensors_index)

    def _input_stage(self, grads: tuple) -> tuple:
        index = self.input_tensors_index
        if self.grad_outputs is None:
            # The gradient reached the inputs without passing through the outputs (a second
            # backward through part of the graph): no hook, as in PyTorch.
            return grads
        res = _pack_with_none(index, grads, self.n_inputs)
        for hook in self.user_hooks:
            result = hook(self.module, res, self.grad_outputs)
            if result is None:
                continue
            if len(result) != len(res):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {len(result)}, but expected {len(res)}")
            res = tuple(result)
        self.grad_outputs = None
        return tuple(res[i] for i in index)


# --- the deprecated (non-full) backward hooks ---------------------------------------------------
def _hook_for(module, hook: Callable) -> Callable:
    """``hook(module, grad_input, grad_output)`` as a node hook ``(grad_inputs, grad_outputs)``."""
    def node_hook(grad_inputs, grad_outputs):
        return hook(module, grad_inputs, grad_outputs)
    return node_hook


def attach_non_full_hooks(module, hooks: list, args: tuple, result) -> None:
    """``register_backward_hook``'s hooks, as PyTorch runs them: on the node that made the
    first Tensor of ``result``, seeing that node's gradients only (a FutureWarning says when
    that is not the whole module's)."""
    first = result
    while not isinstance(first, Tensor):
        first = next(v for v in first.values() if isinstance(v, Tensor)) \
            if isinstance(first, dict) else first[0]
    node = first.grad_fn
    if node is None:
        return
    for hook in hooks:
        node.register_hook(_hook_for(module, hook))
    _warn_what_is_missed(args, result, node)


def _all_tensors(value) -> tuple | None:
    """``value`` as a tuple of Tensors, or None when it is not a Tensor or a tuple of them."""
    if isinstance(value, Tensor):
        return (value,)
    if isinstance(value, tuple) and all(isinstance(v, Tensor) for v in value):
        return value
    return None


def _warn_what_is_missed(args: tuple, result, node) -> None:
    outputs = _all_tensors(result)
    if outputs is None:
        return _future_warning("Using non-full backward hooks on a Module that does not return "
                               "a single Tensor or a tuple of Tensors is deprecated and will be "
                               "removed in future versions. This hook will be missing some of "
                               "the grad_output.")
    inputs = _all_tensors(args)
    if inputs is None:
        return _future_warning("Using non-full backward hooks on a Module that does not take as "
                               "input a single Tensor or a tuple of Tensors is deprecated and "
                               "will be removed in future versions. This hook will be missing "
                               "some of the grad_input.")
    out_nodes = {o.grad_fn for o in outputs if o.grad_fn is not None}
    if not out_nodes or (len(out_nodes) == 1 and node not in out_nodes):
        return _future_warning("Using a non-full backward hook when outputs are nested in "
                               "python data structure is deprecated and will be removed in "
                               "future versions. This hook will be missing some grad_output.",
                               full=False)
    if len(out_nodes) > 1:
        return _future_warning("Using a non-full backward hook when outputs are generated by "
                               "different autograd Nodes is deprecated and will be removed in "
                               "future versions. This hook will be missing some grad_output.")
    if {i.grad_fn for i in inputs if i.grad_fn is not None} != \
            {n for n, _ in node.next_functions}:
        _future_warning("Using a non-full backward hook when the forward contains multiple "
                        "autograd Nodes is deprecated and will be removed in future versions. "
                        "This hook will be missing some grad_input.")
    return None


def _future_warning(text: str, full: bool = True) -> None:
    if full:
        text += " Please use register_full_backward_hook to get the documented behavior."
    warnings.warn(text, FutureWarning, stacklevel=user_stacklevel())
