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

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from ..autograd import grad as autograd_grad
from ..autograd.engine import topological_order
from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ..tensor import Tensor
from .pytree import TreeSpec, flatten

__all__ = ["check_argnums", "select_args", "replace_args", "enter", "tracked_outside",
           "gradients", "detach_tree", "unwrap_aux", "func_name", "Traced",
           "call_with_stand_ins", "tensor_outputs"]


class Traced(NamedTuple):
    """One call of a function on stand-ins: the stand-ins, the structure of what they stand
    for, the output (``aux`` split off), the ids of the fresh leaves among the stand-ins, and
    whether grad mode was on outside."""

    inner: list
    spec: TreeSpec
    output: Any
    aux: Any
    fresh: set
    outer: bool


def call_with_stand_ins(func: Callable, args: tuple, kwargs: dict, argnums: int | tuple | None,
                        has_aux: bool, where: str) -> Traced:
    """Run ``func`` under grad mode with stand-ins for the arguments ``argnums`` names (every
    positional argument when None: ``vjp``'s and ``jvp``'s primals); ``where`` begins torch's
    message when ``has_aux`` is set and the output is not a pair."""
    chosen = args
    if argnums is not None:
        check_argnums(argnums, len(args))
        chosen = select_args(args, argnums)
    outer = is_grad_enabled()
    leaves, spec = flatten(chosen)
    inner, fresh = enter(leaves)
    stand_ins = spec.unflatten(inner)
    with enable_grad():
        output = func(*(stand_ins if argnums is None else
                        replace_args(args, argnums, stand_ins)), **kwargs)
    aux = None
    if has_aux:
        if not (isinstance(output, tuple) and len(output) == 2):
            raise RuntimeError(f"{where}: output of function f should be a tuple: "
                               "(output, aux) if has_aux is True")
        output, aux = output
    return Traced(inner, spec, output, aux, fresh, outer)


def tensor_outputs(output: Any, where: str) -> tuple[list, TreeSpec]:
    """The output's leaves and structure; torch's error (begun by ``where``) for a leaf that
    is not a Tensor."""
    leaves, spec = flatten(output)
    for o in leaves:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"{where}: expected f(*primals) to return only tensors, got "
                               f"unsupported type {type(o)}")
    return leaves, spec


def func_name(func: Any) -> str:
    """The name torch's messages give a function: its ``__name__``, a partial's as
    ``functools.partial(name, ...)``, else its repr."""
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({func_name(func.func)}, ...)"
    return repr(func)


def check_argnums(argnums: Any, nargs: int) -> None:
    """torch's checks of ``argnums`` against ``nargs`` positional arguments."""
    if isinstance(argnums, tuple):
        if len(argnums) == 0:
            raise RuntimeError("argnums must be non-empty")
        for a in argnums:
            if not isinstance(a, int):
                raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(a)}")
            _check_argnum(a, nargs)
        normalized = tuple(a % nargs for a in argnums)
        if len(set(normalized)) != len(argnums):
            raise RuntimeError(f"argnums elements must be unique, got {normalized}")
        return
    if not isinstance(argnums, int):
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
