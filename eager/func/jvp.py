"""``torch.func.jvp`` on eager's tape, by the double-backward trick.

Eager has no forward-mode autodiff. A Jacobian-vector product ``J t`` is obtained from two
reverse passes: ``g(u) = J^T u`` taken with ``create_graph`` is linear in a dummy cotangent
``u``, so the gradient of ``g(u) . t`` with respect to ``u`` is ``J t``. It costs two backward
passes instead of one forward pass, and needs every gradient rule on the way to be
differentiable (they are: rules are written with ops).

    >>> import eager
    >>> from eager.func import jvp
    >>> jvp(lambda x: x * 3, (eager.ones(2),), (eager.tensor([1.0, 2.0]),))
    (tensor([3., 3.]), tensor([3., 6.]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..autograd import grad as autograd_grad
from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor
from .pytree import flatten
from .tape_level import (
    call_with_stand_ins,
    detach_tree,
    tensor_outputs,
    tracked_outside,
    unwrap_aux,
)

__all__ = ["jvp", "ForwardTrick", "JVP_WHERE"]

JVP_WHERE = _JVP = "jvp(f, primals, tangents)"


def _check(primals: Any, tangents: Any) -> list:
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{_JVP}: Expected primals to be a tuple. E.g. it should be valid "
                           "to call f(*primals).")
    p_leaves, p_spec = flatten(primals)
    t_leaves, t_spec = flatten(tangents)
    if p_spec != t_spec:
        raise RuntimeError(f"{_JVP}: Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, "
                           "tangents also must be. Got primals with structure "
                           f"{p_spec!r} and tangents with structure {t_spec!r}")
    for kind, leaves in (("primals", p_leaves), ("tangents", t_leaves)):
        for v in leaves:
            if not isinstance(v, Tensor):
                raise RuntimeError(f"{_JVP}: Expected {kind} to only contain Tensors, got "
                                   f"{type(v)}")
    for p, t in zip(p_leaves, t_leaves, strict=True):
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} "
                f"while the given forward gradient is of size {list(t.shape)}.")
    return t_leaves


def jvp(func: Callable, primals: Any, tangents: Any, *, strict: bool = False,
        has_aux: bool = False) -> tuple:
    """``(func(*primals), J @ tangents)`` (and ``aux`` with ``has_aux``): the directional
    derivative of ``func`` at ``primals`` along ``tangents`` (same structure as ``primals``),
    shaped as the output. Computed by two reverse passes (module docstring)."""
    t_leaves = _check(primals, tangents)
    call = call_with_stand_ins(func, primals, {}, None, has_aux, _JVP)
    output = call.output
    out_leaves, out_spec = tensor_outputs(output, _JVP)
    keep = call.outer and (tracked_outside(out_leaves, call.fresh)
                           or any(t.requires_grad for t in t_leaves))
    products = ForwardTrick(out_leaves, call.inner).along(t_leaves, keep)
    value = output if keep else detach_tree(output)
    result = out_spec.unflatten(products)
    if has_aux:
        return value, result, unwrap_aux(call.aux, keep)
    return value, result


class ForwardTrick:
    """``J^T u`` for the outputs ``outs`` of a call on the stand-ins ``inner``, recorded once
    with a dummy cotangent ``u`` per output; `along` then gives ``J t`` for any tangents
    (``linearize`` calls it many times)."""

    def __init__(self, outs: list, inner: list) -> None:
        self.outs = outs
        self.live = [i for i, o in enumerate(outs) if o.requires_grad and o.is_floating_point()]
        with enable_grad():  # recorded even under an outer no_grad
            self.dummies = [outs[i].detach().new_zeros(outs[i].shape).requires_grad_(True)
                            for i in self.live]
            self.vjps = autograd_grad([outs[i] for i in self.live], inner, self.dummies,
                                      create_graph=True, allow_unused=True) \
                if self.live else ()

    def along(self, tangents: list, keep: bool) -> list:
        """``J t`` per output (zeros where an output does not depend on the inputs)."""
        found: list = [None] * len(self.outs)
        pairs = [(g, t) for g, t in zip(self.vjps, tangents, strict=True)
                 if g is not None and g.requires_grad]
        if pairs:
            with enable_grad():
                grads = autograd_grad([g for g, _ in pairs], self.dummies,
                                      [t.to(g.dtype) for g, t in pairs], retain_graph=True,
                                      create_graph=keep, allow_unused=True)
            for i, g in zip(self.live, grads, strict=True):
                found[i] = g
        return [g if g is not None else o.detach().new_zeros(o.shape)
                for g, o in zip(found, self.outs, strict=True)]
