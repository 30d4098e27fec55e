"""``torch.func.jacrev``, ``jacfwd`` and ``hessian`` on eager's tape.

A Jacobian is built row by row: one reverse pass per element of each output, with a one-hot
cotangent, the graph kept between passes. ``jacfwd`` returns the same numbers and structure
as torch's forward-mode ``jacfwd`` but is computed this way too (eager has no forward mode),
so it costs one backward pass per output element rather than one forward pass per input
element.

    >>> import eager
    >>> from eager.func import jacrev
    >>> jacrev(lambda x: x ** 2)(eager.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])

The result nests as torch's: the output's structure outside, then a tuple over ``argnums``
when it is a tuple, then each argument's own structure; each leaf has shape
``output.shape + input.shape``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..functions_shape import stack
from ..tensor import Tensor
from .tape_level import (
    call_with_stand_ins,
    gradients,
    tensor_outputs,
    tracked_outside,
    unwrap_aux,
)

__all__ = ["jacrev", "jacfwd", "hessian", "check_randomness"]

_VJP = "vjp(f, *primals)"
RANDOMNESS = ("error", "different", "same")


def jacrev(func: Callable, argnums: int | tuple = 0, *, has_aux: bool = False,
           chunk_size: int | None = None, _preallocate_and_copy: bool = False) -> Callable:
    """A function returning the Jacobian of ``func`` with respect to the arguments
    ``argnums`` names (``(jacobian, aux)`` with ``has_aux``), by reverse mode.
    ``chunk_size`` is checked and otherwise has no effect: rows are computed one at a time."""
    if chunk_size is not None and not chunk_size > 0:
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        call = call_with_stand_ins(func, args, kwargs, argnums, has_aux, _VJP)
        out_leaves, out_spec = tensor_outputs(call.output, _VJP)
        keep = call.outer and tracked_outside(out_leaves, call.fresh)
        jac = out_spec.unflatten([call.spec.unflatten(_jacobian_of(o, call.inner, keep))
                                  for o in out_leaves])
        return (jac, unwrap_aux(call.aux, keep)) if has_aux else jac

    return wrapper


def _jacobian_of(out: Tensor, inner: list, keep: bool) -> list:
    """One Jacobian block per input: ``out.shape + input.shape``, a reverse pass per element
    of ``out`` with a one-hot cotangent."""
    n = out.numel()
    if n == 0 or not out.requires_grad:
        return [t.detach().new_zeros(tuple(out.shape) + tuple(t.shape)) for t in inner]
    rows: list[list] = [[] for _ in inner]
    flat = out.detach().new_zeros(n)
    for k in range(n):
        onehot = flat.clone()
        onehot[k] = 1
        for j, g in enumerate(gradients([out], inner, [onehot.reshape(out.shape)], keep)):
            rows[j].append(g)
    return [stack(r).reshape(tuple(out.shape) + tuple(t.shape)) for r, t in zip(rows, inner,
                                                                                 strict=True)]


def jacfwd(func: Callable, argnums: int | tuple = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable:
    """torch's forward-mode Jacobian: the same result and structure as `jacrev` (and computed
    by it, in reverse mode: eager has no forward-mode autodiff). ``randomness`` is checked as
    ``vmap`` checks it."""
    reverse = jacrev(func, argnums, has_aux=has_aux)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_randomness(randomness)  # torch checks it when called, as vmap's
        return reverse(*args, **kwargs)

    return wrapper


def check_randomness(randomness: str) -> None:
    """torch's check of ``vmap``'s (and ``jacfwd``'s) ``randomness``."""
    if randomness not in RANDOMNESS:
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")


def hessian(func: Callable, argnums: int | tuple = 0) -> Callable:
    """The Hessian of a scalar function, ``jacfwd(jacrev(func, argnums), argnums)`` as in
    torch: the inner Jacobian stays on the tape so the outer one differentiates it."""
    return jacfwd(jacrev(func, argnums), argnums)
