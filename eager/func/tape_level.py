"""How the ``torch.func`` transforms sit on eager's tape (one tape, no functorch levels).

A transform differentiates ``func`` with respect to some inputs by giving ``func`` stand-ins
for them that the tape can aim at: a fresh leaf (``x.detach().requires_grad_()``) for an input
nothing outside tracks, or a recorded alias (``x.view_as(x)``) of one that is tracked, so the
outer computation still reaches ``x`` through it. After ``func`` runs, `tracked_outside` walks
the recorded graph of the result: if it reaches a tensor requiring grad that is not one of the
fresh leaves (an outer transform's stand-in, a parameter in a closure), the gradients are taken
with ``create_graph=True`` so that the outer level can differentiate them again (grad of grad,
``hessian``); otherwise they are plain values, as torch returns them.
"""

from __future__ import annotations

from typing import Any

from ..autograd import grad as autograd_grad
from ..autograd.engine import topological_order
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor
from .pytree import flatten

__all__ = ["check_argnums", "select_args", "replace_args", "enter", "tracked_outside",
           "gradients", "detach_tree", "unwrap_aux", "func_name"]


def func_name(func: Any) -> str:
    """The name torch's messages give a function (its ``__name__``, else its repr)."""
    return getattr(func, "__name__", repr(func))


def check_argnums(argnums: Any, nargs: int) -> None:
    """torch's checks of ``argnums`` against ``nargs`` positional arguments."""
    if isinstance(argnums, tuple):
        if len(argnums) == 0:
            raise RuntimeError("argnums must be non-empty")
        for a in argnums:
            if not isinstance(a, int) or isinstance(a, bool):
                raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(a)}")
            _check_argnum(a, nargs)
        if len(set(a % nargs for a in argnums)) != len(argnums):
            raise RuntimeError(f"argnums must be unique, got {argnums}")
        return
    if not isinstance(argnums, int) or isinstance(argnums, bool):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    _check_argnum(argnums, nargs)


def _check_argnum(a: int, nargs: int) -> None:
    if not -nargs <= a < nargs:
        raise RuntimeError(f"Got argnum={a}, but only {nargs} positional inputs")


def select_args(args: tuple, argnums: int | tuple) -> Any:
    """The arguments that ``argnums`` picks: one argument, or a tuple of them."""
    if isinstance(argnums, int):
        return args[argnums]
    return tuple(args[a] for a in argnums)


def replace_args(args: tuple, argnums: int | tuple, new: Any) -> tuple:
    """``args`` with the picked arguments replaced by ``new`` (as `select_args` returned)."""
    out = list(args)
    if isinstance(argnums, int):
        out[argnums] = new
    else:
        for a, v in zip(argnums, new, strict=True):
            out[a] = v
    return tuple(out)


def enter(leaves: list) -> tuple[list, set]:
    """Stand-ins for ``leaves`` (Tensors) that ``func`` will see, and the ids of those that are
    fresh leaves (not reachable from outside)."""
    inner, fresh = [], set()
    for t in leaves:
        if not isinstance(t, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(t)}")
        if t.requires_grad and is_grad_enabled():
            inner.append(t.view_as(t))  # recorded: outer levels still reach ``t``
        else:
            if not t.is_floating_point():
                raise RuntimeError("only Tensors of floating point dtype can require gradients")
            s = t.detach().requires_grad_(True)
            fresh.add(id(s))
            inner.append(s)
    return inner, fresh


def tracked_outside(outputs: list, fresh: set) -> bool:
    """Whether the recorded graph of ``outputs`` reaches a tensor requiring grad that is not
    one of the ``fresh`` leaves: then something outside differentiates through this call."""
    roots = []
    for o in outputs:
        if not isinstance(o, Tensor) or not o.requires_grad:
            continue
        if o.grad_fn is None:
            if id(o) not in fresh:
                return True
        else:
            roots.append(o.grad_fn)
    for node in topological_order(roots):
        for t in node.inputs:
            if isinstance(t, Tensor) and t.grad_fn is None and t.requires_grad \
                    and id(t) not in fresh:
                return True
    return False


def gradients(outputs: list, inner: list, cotangents: list | None, create_graph: bool) -> list:
    """d(outputs . cotangents)/d(inner), zeros where an input is unused; the graph is kept so
    the same outputs can be differentiated again (jacobian rows, ``vjp_fn`` called twice)."""
    pairs = [(o, c) for o, c in zip(outputs, cotangents or [None] * len(outputs), strict=True)
             if isinstance(o, Tensor) and o.requires_grad]
    found: tuple = (None,) * len(inner)
    if pairs:
        outs = [o for o, _ in pairs]
        cts = [c for _, c in pairs] if cotangents is not None else None
        found = autograd_grad(outs, inner, cts, retain_graph=True, create_graph=create_graph,
                              allow_unused=True)
    return [g if g is not None else t.detach().new_zeros(t.shape)
            for g, t in zip(found, inner, strict=True)]


def detach_tree(tree: Any) -> Any:
    """``tree`` with each Tensor leaf detached (values handed back from an inner level)."""
    leaves, spec = flatten(tree)
    return spec.unflatten([v.detach() if isinstance(v, Tensor) else v for v in leaves])


def unwrap_aux(aux: Any, keep: bool) -> Any:
    """``has_aux``'s second value handed back: Tensors only (torch's error otherwise), detached
    unless something outside tracks this call."""
    leaves, spec = flatten(aux)
    for v in leaves:
        if not isinstance(v, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(v)}")
    return aux if keep else spec.unflatten([v.detach() for v in leaves])
