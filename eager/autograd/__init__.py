"""Tape autograd for eager Tensors: ``backward``, ``grad``, grad mode, anomaly detection,
``gradcheck``.

    >>> import eager
    >>> x = eager.tensor(3.0, requires_grad=True)
    >>> (dy,) = eager.autograd.grad(x ** 3, x, create_graph=True)
    >>> eager.autograd.grad(dy, x)[0]
    tensor(18.)
"""

from __future__ import annotations

from ..tensor_base import TensorBase
from . import grad_mode, graph
from .accumulate_grad import accumulate_grad
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import run_backward
from .function import Function, FunctionCtx, TapeNode, backward_name, once_differentiable
from .grad_mode import *  # noqa: F403 (no_grad, enable_grad, ...: grad_mode.__all__)


def _as_tuple(x) -> tuple:
    """One tensor, or any iterable of them (a list, ``model.parameters()``'s generator), as
    a tuple: torch accepts both."""
    if x is None:
        return ()
    return (x,) if isinstance(x, TensorBase) else tuple(x)


def backward(tensors, grad_tensors=None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs=None) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of the leaves they depend on.

    ``grad_tensors`` is required for non-scalar outputs; ``retain_graph`` (default:
    ``create_graph``) keeps saved values for another backward; ``create_graph`` records the
    backward so the gradients can be differentiated again; ``inputs`` limits which leaves
    accumulate.
    """
    outputs = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) or (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is None:
        run_backward(outputs, grads, retain_graph, create_graph)
        return
    targets = _as_tuple(inputs)
    found = run_backward(outputs, grads, retain_graph, create_graph, targets=targets)
    for t, g in zip(targets, found, strict=True):
        if g is not None:
            # The hooks already ran when the gradient was collected for ``t``.
            accumulate_grad(t, g if create_graph else g._data, create_graph, run_hooks=False)


def grad(outputs, inputs, grad_outputs=None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """Gradients of ``outputs`` with respect to ``inputs``, returned (``.grad`` untouched).

    An input the outputs do not depend on raises unless ``allow_unused`` (then None), or
    ``materialize_grads`` (then zeros, with ``allow_unused`` left unset or True).
    """
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    if is_grads_batched:
        raise NotImplementedError("autograd.grad(is_grads_batched=True) is not supported: "
                                  "eager has no vmap; loop over the batch of grad_outputs")
    allow_unused = bool(allow_unused) or materialize_grads
    outs = _as_tuple(outputs)
    targets = _as_tuple(inputs)
    grads = _as_tuple(grad_outputs) or (None,) * len(outs)
    if retain_graph is None:
        retain_graph = create_graph
    for i, t in enumerate(targets):
        if not t.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors (index {i}) does not "
                               "require grad")
    found = run_backward(outs, grads, retain_graph, create_graph, targets=targets)
    if materialize_grads:
        found = [t.new_zeros(t.shape) if g is None else g for t, g in zip(targets, found,
                                                                            strict=True)]
    for i, g in enumerate(found):
        if g is None and not allow_unused:
            raise RuntimeError(f"One of the differentiated Tensors (index {i}) appears to not "
                               "have been used in the graph. Set allow_unused=True if this is "
                               "the desired behavior.")
    return tuple(found)


def __getattr__(name: str):
    # forward_ad subclasses eager.Tensor, which imports this package: loaded on first use.
    if name == "forward_ad":
        import importlib

        return importlib.import_module(".forward_ad", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
from .variable import Variable  # noqa: E402

__all__ = ["backward", "grad", *grad_mode.__all__, "detect_anomaly", "set_detect_anomaly",
           "is_anomaly_enabled", "gradcheck", "gradgradcheck", "TapeNode", "backward_name",
           "Function", "FunctionCtx", "once_differentiable", "Variable", "graph"]
