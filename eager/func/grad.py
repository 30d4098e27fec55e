"""``torch.func.grad``, ``grad_and_value`` and ``vjp`` on eager's tape.

    >>> import eager
    >>> from eager.func import grad
    >>> grad(lambda x: (x ** 2).sum())(eager.ones(3))
    tensor([2., 2., 2.])

Each call runs ``func`` on stand-ins for the differentiated inputs (`tape_level.enter`) and
asks the tape for the gradients; grad of grad works because an inner call's gradients stay on
the tape whenever something outside tracks them (`tape_level.tracked_outside`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ..tensor import Tensor
from .pytree import flatten
from .tape_level import (
    call_with_stand_ins,
    detach_tree,
    gradients,
    tensor_outputs,
    tracked_outside,
    unwrap_aux,
)

__all__ = ["grad", "grad_and_value", "vjp"]

_GV = "grad_and_value(f)(*args)"
_VJP = "vjp(f, *primals)"


def grad_and_value(func: Callable, argnums: int | tuple = 0, has_aux: bool = False
                   ) -> Callable:
    """A function returning ``(gradient, value)`` of ``func`` (``(gradient, (value, aux))``
    with ``has_aux``): the gradient of ``func``'s scalar output with respect to the arguments
    ``argnums`` names, in their structure (a dict of tensors for a dict argument, a tuple for
    a tuple of argnums)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        call = call_with_stand_ins(func, args, kwargs, argnums, has_aux, _GV)
        output = call.output
        if not isinstance(output, Tensor):
            raise RuntimeError(f"{_GV}: Expected f(*args) to return a Tensor, got "
                               f"{type(output)}")
        if output.dim() != 0:
            raise RuntimeError(f"{_GV}: Expected f(*args) to return a scalar Tensor, got "
                               f"tensor with {output.dim()} dims. Maybe you wanted to use "
                               "the vjp or jacrev APIs instead?")
        keep = call.outer and tracked_outside([output], call.fresh)
        result = call.spec.unflatten(gradients([output], call.inner, None, keep))
        value = output if keep else output.detach()
        if has_aux:
            return result, (value, unwrap_aux(call.aux, keep))
        return result, value

    return wrapper


def grad(func: Callable, argnums: int | tuple = 0, has_aux: bool = False) -> Callable:
    """A function returning the gradient of ``func``'s scalar output with respect to the
    arguments ``argnums`` names (``(gradient, aux)`` with ``has_aux``); see
    `grad_and_value`."""
    both = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result, value = both(*args, **kwargs)
        return (result, value[1]) if has_aux else result

    return wrapper


def vjp(func: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """``(func(*primals), vjp_fn)`` (and ``aux`` with ``has_aux``): ``vjp_fn(cotangents)``
    returns a tuple with one gradient per primal, the cotangents shaped as the output. It may
    be called several times."""
    call = call_with_stand_ins(func, primals, {}, None, has_aux, _VJP)
    inner, spec, output = call.inner, call.spec, call.output
    out_leaves, out_spec = tensor_outputs(output, _VJP)
    keep = call.outer and tracked_outside(out_leaves, call.fresh)

    def vjp_fn(cotangents: Any, *, retain_graph: bool = True,
               create_graph: bool | None = None) -> tuple:
        ct_leaves, ct_spec = flatten(cotangents)
        if ct_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as "
                               f"pytree structure of outputs to the function. cotangents: "
                               f"{ct_spec.pprint()}, primal output: {out_spec.pprint()}")
        for i, (c, o) in enumerate(zip(ct_leaves, out_leaves, strict=True)):
            if tuple(c.shape) != tuple(o.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{c.shape} and output[{i}] has a shape of {o.shape}.")
        make = keep or any(c.requires_grad for c in ct_leaves) if create_graph is None \
            else create_graph
        with enable_grad():
            grads = gradients(out_leaves, inner, ct_leaves, make and is_grad_enabled())
        return tuple(spec.unflatten(grads))

    value = output if keep else detach_tree(output)
    if has_aux:
        return value, vjp_fn, unwrap_aux(call.aux, keep)
    return value, vjp_fn
