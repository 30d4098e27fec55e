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

from ..functions_shape import stack
from ..tensor import Tensor
from . import grad as autograd_grad
from .grad_mode import enable_grad, set_grad_enabled

__all__ = ["jacobian", "hessian", "vjp", "jvp", "vhp", "hvp"]

_STRATEGIES = ("forward-mode", "reverse-mode")
_STRICT = " This is not allowed in strict mode."
# What strict mode says about a gradient that is missing (None), by the backward it came from.
_INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}." + _STRICT,
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients." + _STRICT,
    "double_back": "The jacobian of the user-provided function is independent of input {i}."
                   + _STRICT,
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}
# ... and about a value that does not require grad, by what it is.
_NO_GRAD = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
               "outputs must be computed in a differentiable manner from the input when running "
               "in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the "
                   "user-provided function." + _STRICT,
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
               "independent of the input. This is not allowed in strict mode. You should ensure "
               "that your function is thrice differentiable and that the hessian depends on the "
               "inputs.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
                "function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
}


def _as_tuple(value: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, el in enumerate(values):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but the {where} has type {type(el)}.")
    return is_tuple, values


def _unpack(res: Any, packed: bool | tuple) -> Any:
    """A result in the shape of the call (torch's ``_tuple_postprocess``)."""
    if isinstance(packed, tuple):
        outer, inner = packed
        if not inner:
            res = tuple(r[0] for r in res)
        return res if outer else res[0]
    return res if packed else res[0]


def _prepare(values: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """Stand-ins to differentiate: still linked to their history with ``create_graph`` (so the
    result can be differentiated through them), else fresh leaves."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in values)


def _finish(values: Any, create_graph: bool) -> Any:
    if create_graph:
        return values
    return tuple(_finish(v, False) if isinstance(v, tuple) else v.detach() for v in values)


def _check_v(v: Any, like: tuple, like_is_tuple: bool, fn_name: str, create_graph: bool
             ) -> tuple | None:
    """``v`` as a tuple shaped as ``like`` (the outputs for ``vjp``, else the inputs); None
    only where ``like`` is one Tensor of one element."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            what = "user-provided function returns" if fn_name == "vjp" \
                else "input to the user-provided function is"
            raise RuntimeError(f"The vector v can only be None if the {what} a single Tensor "
                               "with a single element.")
        return None
    _, v = _as_tuple(v, "v", fn_name)
    v = _prepare(v, create_graph, need_graph=False)
    if len(v) != len(like):
        if like_is_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(like)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (a, b) in enumerate(zip(v, like, strict=True)):
        if a.shape != b.shape:
            prepend = f"Entry {idx} in " if like_is_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {b.shape} but got "
                               f"{a.shape}.")
    return v


def _check_requires_grad(values: tuple, kind: str, strict: bool) -> None:
    if not strict:
        return
    for i, t in enumerate(values):
        if t is None:
            raise RuntimeError(_INDEPENDENT["back"].format(i=i))
        if not t.requires_grad:
            raise RuntimeError(_NO_GRAD[kind].format(i=i))


def _grads(outputs: tuple, inputs: tuple, grad_outputs: tuple | None = None,
           create_graph: bool = False) -> tuple:
    """torch's ``_autograd_grad``: outputs that do not require grad are left out, and an
    input nothing reaches gets None."""
    pairs = [(o, None if grad_outputs is None else grad_outputs[k])
             for k, o in enumerate(outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    gos = None if grad_outputs is None else [g for _, g in pairs]
    return autograd_grad([o for o, _ in pairs], inputs, gos, retain_graph=True,
                         create_graph=create_graph, allow_unused=True)


def _fill(grads: tuple, refs: tuple, strict: bool, create_graph: bool, stage: str) -> tuple:
    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_INDEPENDENT[stage].format(i=i))
            g = refs[i].detach().new_zeros(refs[i].shape)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)


def _run(func: Callable, inputs: Any, fn_name: str, create_graph: bool, strict: bool,
         v: Any = None, v_like: str | None = None) -> tuple:
    """Call ``func`` on stand-ins for ``inputs`` under grad mode: ``(inputs_tuple, inputs,
    outputs_tuple, outputs, v)``, with ``v`` checked against the inputs (before the call) or
    the outputs (after it), as torch orders its checks."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
        inputs = _prepare(inputs, create_graph, need_graph=True)
        if v_like == "inputs":
            v = _check_v(v, inputs, inputs_tuple, fn_name, create_graph)
        outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided "
                                           "function", fn_name)
        _check_requires_grad(outputs, "outputs", strict)
        if v_like == "outputs":
            v = _check_v(v, outputs, outputs_tuple, fn_name, create_graph)
    return inputs_tuple, inputs, outputs_tuple, outputs, v


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``; ``v`` may be
    None only for a function returning one element."""
    inputs_tuple, inputs, outputs_tuple, outputs, v = _run(func, inputs, "vjp", create_graph,
                                                           strict, v, "outputs")
    with set_grad_enabled(create_graph):
        result = _fill(_grads(outputs, inputs, v, create_graph), inputs, strict, create_graph,
                       "back")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product at ``inputs``, by the double
    backward trick (``J^T u`` is linear in a dummy ``u``; its gradient along ``v`` is
    ``J v``)."""
    inputs_tuple, inputs, outputs_tuple, outputs, v = _run(func, inputs, "jvp", create_graph,
                                                           strict, v, "inputs")
    with enable_grad():
        dummies = tuple(o.detach().new_zeros(o.shape).requires_grad_(True) for o in outputs)
        grad_inputs = _grads(outputs, inputs, dummies, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(create_graph):
        result = _fill(_grads(grad_inputs, dummies, v, create_graph), outputs, strict,
                       create_graph, "back_trick")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), outputs_tuple))


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
    blocks = _finish(blocks, create_graph)
    if strategy == "forward-mode":  # torch's forward mode hands back lists where it keeps them
        blocks = [list(b) for b in blocks]
    return _unpack(blocks, (outputs_tuple, inputs_tuple))


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
        for k, (g, inp) in enumerate(zip(_grads((flat[j],), inputs, None, create_graph),
                                         inputs, strict=True)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is "
                                       f"independent of input {k}." + _STRICT)
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
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in _STRATEGIES:
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(outs, "outputs", strict)
        if is_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def gradient(*inp: Tensor) -> tuple:
        jac = jacobian(single_output, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack(res, (inputs_tuple, inputs_tuple))


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
        jac = _grads(outputs, inputs, None, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        wrt, stage = inputs, "double_back"
        if name == "hvp":  # double backward: H u is linear in a dummy u; its gradient along v: H v
            wrt = tuple(t.detach().new_zeros(t.shape).requires_grad_(True) for t in inputs)
            jac = _grads(jac, inputs, wrt, create_graph=True)
            _check_requires_grad(jac, "hessian", strict)
            stage = "double_back_trick"
    with set_grad_enabled(create_graph):
        result = _fill(_grads(jac, wrt, v, create_graph), inputs, strict, create_graph, stage)
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))
