"""The argument checks, result shapes and strict-mode messages of
``torch.autograd.functional`` (eager/autograd/functional.py builds the functions on them).

Inputs are a Tensor or a tuple of Tensors (`as_tuple` records which); `unpack` gives a result
the shape of the call; `prepare` makes the stand-ins the tape differentiates; `grads` is torch's
``_autograd_grad`` and `fill` its ``_fill_in_zeros``, raising strict mode's errors.
"""

from __future__ import annotations

from typing import Any

from ..autograd import grad as autograd_grad
from ..tensor import Tensor

__all__ = ["STRICT", "as_tuple", "unpack", "prepare", "finish", "check_v",
           "check_requires_grad", "grads", "fill"]

STRICT = " This is not allowed in strict mode."
# What strict mode says about a gradient that is missing (None), by the backward it came from.
INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}." + STRICT,
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients." + STRICT,
    "double_back": "The jacobian of the user-provided function is independent of input {i}."
                   + STRICT,
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}
# ... and about a value that does not require grad, by what it is.
NO_GRAD = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
               "outputs must be computed in a differentiable manner from the input when running "
               "in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the "
                   "user-provided function." + STRICT,
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


def as_tuple(value: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, el in enumerate(values):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but the {where} has type {type(el)}.")
    return is_tuple, values


def unpack(res: Any, packed: bool | tuple) -> Any:
    """A result in the shape of the call (torch's ``_tuple_postprocess``)."""
    if isinstance(packed, tuple):
        outer, inner = packed
        if not inner:
            res = tuple(r[0] for r in res)
        return res if outer else res[0]
    return res if packed else res[0]


def prepare(values: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """Stand-ins to differentiate: still linked to their history with ``create_graph`` (so the
    result can be differentiated through them), else fresh leaves."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in values)


def finish(values: Any, create_graph: bool) -> Any:
    if create_graph:
        return values
    return tuple(finish(v, False) if isinstance(v, tuple) else v.detach() for v in values)


def check_v(v: Any, like: tuple, like_is_tuple: bool, fn_name: str, create_graph: bool
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
    _, v = as_tuple(v, "v", fn_name)
    v = prepare(v, create_graph, need_graph=False)
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


def check_requires_grad(values: tuple, kind: str, strict: bool) -> None:
    if not strict:
        return
    for i, t in enumerate(values):
        if t is None:
            raise RuntimeError(INDEPENDENT["back"].format(i=i))
        if not t.requires_grad:
            raise RuntimeError(NO_GRAD[kind].format(i=i))


def grads(outputs: tuple, inputs: tuple, grad_outputs: tuple | None = None,
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


def fill(grads: tuple, refs: tuple, strict: bool, create_graph: bool, stage: str) -> tuple:
    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(INDEPENDENT[stage].format(i=i))
            g = refs[i].detach().new_zeros(refs[i].shape)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)
