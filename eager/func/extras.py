"""The rest of ``torch.func``: ``linearize``, ``functionalize``,
``replace_all_batch_norm_modules_`` and ``debug_unwrap``, as they act on eager's tape.

    >>> import eager
    >>> out, jvp_fn = linearize(lambda x: x * x, eager.tensor([1.0, 2.0]))
    >>> jvp_fn(eager.tensor([1.0, 1.0]))
    tensor([2., 4.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..tensor import Tensor
from .jvp import JVP_WHERE, ForwardTrick
from .pytree import flatten
from .tape_level import call_with_stand_ins, detach_tree, tensor_outputs

__all__ = ["linearize", "functionalize", "replace_all_batch_norm_modules_", "debug_unwrap"]


def linearize(func: Callable, *primals: Any) -> tuple[Any, Callable]:
    """``(func(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` is the Jacobian-vector product at
    ``primals``. ``func`` runs once; each ``jvp_fn`` call is one backward pass over the
    recorded ``J^T u`` (the double-backward trick of ``jvp``)."""
    call = call_with_stand_ins(func, primals, {}, None, False, JVP_WHERE)
    out_leaves, out_spec = tensor_outputs(call.output, JVP_WHERE)
    trick = ForwardTrick(out_leaves, call.inner)
    p_leaves, p_spec = flatten(primals)

    def jvp_fn(*tangents: Any) -> Any:
        t_leaves, t_spec = flatten(tangents)
        if t_spec != p_spec:
            raise RuntimeError(f"Expected the tangents {t_spec!r} to have the same argspec as "
                               f"the primals {p_spec!r}")
        for i, (t, p) in enumerate(zip(t_leaves, p_leaves, strict=True)):
            if tuple(t.shape) != tuple(p.shape):
                raise RuntimeError(f"tangent:{i} with shape {t.shape} in flattened pytree "
                                   f"doesn't match the shape {p.shape} of the corresponding "
                                   "primal.")
        return out_spec.unflatten(trick.along(t_leaves, False))

    return detach_tree(call.output), jvp_fn


_REMOVE = ("mutations", "mutations_and_views")


def functionalize(func: Callable, *, remove: str = "mutations") -> Callable:
    """``func`` itself, after torch's check of ``remove``: torch rewrites in-place and view
    ops into out-of-place ones for tracing; eager runs the mutations as written, which gives
    the same results (``remove`` changes nothing)."""
    if remove not in _REMOVE:
        raise RuntimeError(
            f"functionalize(f, remove='mutations'): received invalid argument for "
            f"remove={remove}. Valid options are:\n     remove='mutations': all inplace and "
            "out= operators will be removed from the program, and replaced with their "
            "out-of-place equivalents.\n     remove='mutations_and_views': In addition to the "
            "above, all aliasing operators {view} will be replaced with their non-aliasing "
            "counterparts, {view}_copy.\n")

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapped


def replace_all_batch_norm_modules_(root: Any) -> Any:
    """In place: every batch norm module of ``root`` that tracks running statistics stops
    (its running mean, variance and count become None), so it normalizes with the batch's
    statistics, as torch does before ``vmap`` over a model. Returns ``root``."""
    for module in root.modules():
        if getattr(module, "track_running_stats", False) and hasattr(module, "running_mean"):
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root


def debug_unwrap(tensor: Tensor, *, recurse: bool = True) -> Tensor:
    """``tensor`` itself: eager's transforms wrap nothing (torch unwraps a functorch
    BatchedTensor or GradTrackingTensor here)."""
    return tensor
