"""``torch.autograd.functional``: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``vhp``, ``hvp``.

    >>> import eager
    >>> from eager.autograd.functional import jacobian
    >>> jacobian(lambda x: x ** 2, eager.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])

The inputs are a Tensor or a tuple of Tensors, and each result keeps that shape of call: a
Tensor for a Tensor, a tuple for a tuple, and for Jacobians and Hessians a tuple (over the
outputs, or the inputs) of tuples (over the inputs) as far as either was a tuple. Results are
detached unless ``create_graph``. Everything is computed by reverse passes on the tape:
``jvp`` and ``hvp`` by torch's double-backward trick, and ``strategy="forward-mode"`` and
``vectorize`` give the same numbers as the reverse-mode loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..func.autograd_checks import (
    STRICT,
    as_tuple,
    check_requires_grad,
    check_v,
    fill,
    finish,
    grads,
    prepare,
    unpack,
)
from ..functions_shape import stack
from ..tensor import Tensor
from .grad_mode import enable_grad, set_grad_enabled

__all__ = ["jacobian", "hessian", "vjp", "jvp", "vhp", "hvp"]

_STRATEGIES = ("forward-mode", "reverse-mode")
def _run(func: Callable, inputs: Any, fn_name: str, create_graph: bool, strict: bool,
         v: Any = None, v_like: str | None = None) -> tuple:
    """Call ``func`` on stand-ins for ``inputs`` under grad mode: ``(inputs_tuple, inputs,
    outputs_tuple, outputs, v)``, with ``v`` checked against the inputs (before the call) or
    the outputs (after it), as torch orders its checks."""
    with enable_grad():
        inputs_tuple, inputs = as_tuple(inputs, "inputs", fn_name)
        inputs = prepare(inputs, create_graph, need_graph=True)
        if v_like == "inputs":
            v = check_v(v, inputs, inputs_tuple, fn_name, create_graph)
        outputs_tuple, outputs = as_tuple(func(*inputs), "outputs of the user-provided "
                                           "function", fn_name)
        check_requires_grad(outputs, "outputs", strict)
        if v_like == "outputs":
            v = check_v(v, outputs, outputs_tuple, fn_name, create_graph)
    return inputs_tuple, inputs, outputs_tuple, outputs, v


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``; ``v`` may be
    None only for a function returning one element."""
    inputs_tuple, inputs, outputs_tuple, outputs, v = _run(func, inputs, "vjp", create_graph,
                                                           strict, v, "outputs")
    with set_grad_enabled(create_graph):
        result = fill(grads(outputs, inputs, v, create_graph), inputs, strict, create_graph,
                       "back")
    return (unpack(finish(outputs, create_graph), outputs_tuple),
            unpack(finish(result, create_graph), inputs_tuple))


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product at ``inputs``, by the double
    backward trick (``J^T u`` is linear in a dummy ``u``; its gradient along ``v`` is
    ``J v``)."""
    inputs_tuple, inputs, outputs_tuple, outputs, v = _run(func, inputs, "jvp", create_graph,
                                                           strict, v, "inputs")
    with enable_grad():
        dummies = tuple(o.detach().new_zeros(o.shape).requires_grad_(True) for o in outputs)
        grad_inputs = grads(outputs, inputs, dummies, create_graph=True)
        check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(create_graph):
        result = fill(grads(grad_inputs, dummies, v, create_graph), outputs, strict,
                       create_graph, "back_trick")
    return (unpack(finish(outputs, create_graph), outputs_tuple),
            unpack(finish(result, create_graph), outputs_tuple))


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """The Jacobian of ``func`` at ``inputs``: each block shaped ``output.shape +
    input.shape``, nested as (outputs, inputs) as far as each was a tuple. One reverse pass
    per output element (``vectorize`` and ``strategy`` change nothing in the numbers)."""
    if strategy not in _STRATEGIES:
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode". Hint: If your function has more outputs than '
                             'inputs, "forward-mode" tends to be more performant. Otherwise, '
                             'prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        _check_forward_mode(create_graph, strict, vectorize)
    inputs_tuple, inputs, outputs_tuple, outputs, _ = _run(func, inputs, "jacobian",
                                                           create_graph, strict)
    with enable_grad():
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                               "`vectorized=True` are not supported together. Please either "
                               "set `strict=False` or `vectorize=False`.")
        blocks = tuple(_jacobian_rows(i, out, inputs, create_graph, strict)
                       for i, out in enumerate(outputs))
    blocks = finish(blocks, create_graph)
    if strategy == "forward-mode":  # torch's forward mode hands back lists where it keeps them
        blocks = [list(b) for b in blocks]
    return unpack(blocks, (outputs_tuple, inputs_tuple))


def _check_forward_mode(create_graph: bool, strict: bool, vectorize: bool) -> None:
    if create_graph:
        raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                  '`strategy="forward-mode"` are not supported together (yet). '
                                  "Please either set `create_graph=False` or "
                                  '`strategy="reverse-mode"`.')
    if strict:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                           '`strategy="forward-mode"` are not supported together (yet). '
                           "Please either set `strict=False` or "
                           '`strategy="reverse-mode"`.')
    if not vectorize:
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                  "Hessian isonly implemented for `vectorize=True`.")


def _jacobian_rows(i: int, out: Tensor, inputs: tuple, create_graph: bool, strict: bool
                   ) -> tuple:
    rows: list[list] = [[] for _ in inputs]
    flat = out.reshape(-1)
    for j in range(out.numel()):
        for k, (g, inp) in enumerate(zip(grads((flat[j],), inputs, None, create_graph),
                                         inputs, strict=True)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is "
                                       f"independent of input {k}." + STRICT)
                g = inp.detach().new_zeros(inp.shape)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError("The jacobian of the user-provided function is independent "
                                   f"of input {i}. This is not allowed in strict mode when "
                                   "create_graph=True.")
            rows[k].append(g)
    return tuple(stack(r).reshape(tuple(out.shape) + tuple(inp.shape)) if r
                 else inp.detach().new_zeros(tuple(out.shape) + tuple(inp.shape))
                 for r, inp in zip(rows, inputs, strict=True))


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a function returning one element: the Jacobian of its gradient,
    nested (inputs, inputs) as far as ``inputs`` is a tuple."""
    inputs_tuple, inputs = as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in _STRATEGIES:
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_tuple, outs = as_tuple(out, "outputs of the user-provided function", "hessian")
        check_requires_grad(outs, "outputs", strict)
        if is_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def gradient(*inp: Tensor) -> tuple:
        jac = jacobian(single_output, inp, create_graph=True)
        check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return unpack(res, (inputs_tuple, inputs_tuple))


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T H)`` for a function returning one element."""
    return _hessian_product("vhp", func, inputs, v, create_graph, strict)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), H v)`` for a function returning one element, by the double backward
    trick (one more backward pass than ``vhp``)."""
    return _hessian_product("hvp", func, inputs, v, create_graph, strict)


def _hessian_product(name: str, func: Callable, inputs: Any, v: Any, create_graph: bool,
                     strict: bool) -> tuple:
    inputs_tuple, inputs, outputs_tuple, outputs, v = _run(func, inputs, name, create_graph,
                                                           strict, v, "inputs")
    with enable_grad():
        if outputs_tuple:
            raise RuntimeError(f"The function given to {name} should return a single Tensor")
        if outputs[0].numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {name} should "
                               "contain a single element")
        jac = grads(outputs, inputs, None, create_graph=True)
        check_requires_grad(jac, "jacobian", strict)
        wrt, stage = inputs, "double_back"
        if name == "hvp":  # double backward: H u is linear in a dummy u; its gradient along v: H v
            wrt = tuple(t.detach().new_zeros(t.shape).requires_grad_(True) for t in inputs)
            jac = grads(jac, inputs, wrt, create_graph=True)
            check_requires_grad(jac, "hessian", strict)
            stage = "double_back_trick"
    with set_grad_enabled(create_graph):
        result = fill(grads(jac, wrt, v, create_graph), inputs, strict, create_graph, stage)
    return (unpack(finish(outputs, create_graph), outputs_tuple),
            unpack(finish(result, create_graph), inputs_tuple))
