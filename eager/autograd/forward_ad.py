"""``eager.autograd.forward_ad``: forward-mode automatic differentiation, as PyTorch's
``torch.autograd.forward_ad``.

Inside ``with dual_level():``, ``make_dual(x, t)`` gives a tensor carrying the tangent ``t``;
every op on such tensors computes its output's tangent with the op's own derivative
(`jvp.jvp_of`), and ``unpack_dual(y)`` gives ``(primal, tangent)``. Leaving the level drops
every tangent.

    >>> import eager
    >>> with dual_level():
    ...     d = make_dual(eager.tensor([0.0, 1.0]), eager.tensor([1.0, 1.0]))
    ...     y = d.sin() * 2
    ...     unpack_dual(y).tangent
    tensor([2.0000, 1.0806])

How it sits in eager: a dual tensor is a `DualTensor`, an `eager.Tensor` subclass that the
dispatcher routes to this module's mode (`shared_ops.register_mode`), so ordinary tensors
never pay for it. The mode runs the op on the primals (recorded for reverse mode as usual)
and adds the tangent; in-place writes pass tangents on (`tangents`). Limits: one level at a
time (as PyTorch today); code that computes on ``.numpy()`` or the array directly carries no
tangent.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

import shared_ops

from ..tensor import Tensor
from ..tensor_base import TensorBase, wrap_array
from .jvp import jvp_of
from .tangents import FORWARD_AD, tangent_of

__all__ = ["dual_level", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual",
           "UnpackedDualTensor"]

_state: dict = {"level": None, "duals": None}  # the open level and its dual tensors (weak)


class UnpackedDualTensor(NamedTuple):
    """What `unpack_dual` returns: the primal and its tangent (None: none at this level)."""

    primal: Any
    tangent: Any


class DualTensor(Tensor):
    """A tensor with a tangent at the open level (``_extra["tangent"]``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        text = super().__repr__()
        return f"{text[:-1]}, tangent={tangent_of(self)!r})"


def _dispatched(op, reflected: bool):
    def method(self, other):
        return op(other, self) if reflected else op(self, other)

    return method


# + - * / through the dispatcher, never eager's direct operator path, so the tangent follows.
for _op in (shared_ops.add, shared_ops.sub, shared_ops.mul, shared_ops.div):
    _name = "truediv" if _op is shared_ops.div else _op.name
    setattr(DualTensor, f"__{_name}__", _dispatched(_op, False))
    setattr(DualTensor, f"__r{_name}__", _dispatched(_op, True))


def _as_dual(t, tangent) -> DualTensor:
    """Make ``t`` (a fresh result or alias) a dual tensor carrying ``tangent``."""
    t.__class__ = DualTensor
    t._extra = {**(t._extra or {}), "tangent": tangent}
    _state["duals"][id(t)] = weakref.ref(t)
    return t


def enter_dual_level() -> int:
    """Open the forward-AD level (only one at a time, as in PyTorch) and return it."""
    if _state["level"] is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    # id -> weak reference (not a WeakSet: it would compare tensors with ==, elementwise)
    _state["level"], _state["duals"] = 0, {}
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the level: every dual tensor made in it becomes a plain tensor again."""
    if _state["level"] is None:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one "
                           "that was created. This is not supported.")
    for ref in _state["duals"].values():
        t = ref()
        if t is None or not isinstance(t, DualTensor):
            continue
        t.__class__ = Tensor
        _drop_tangent(t)
    _state["level"], _state["duals"] = None, None


class dual_level:  # noqa: N801 (PyTorch's name)
    """Context manager: forward AD is on inside (``make_dual`` / ``unpack_dual``)."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: Any) -> None:
        exit_dual_level()


def make_dual(tensor, tangent, *, level: int | None = None) -> DualTensor:
    """A view of ``tensor`` carrying ``tangent`` (same shape; floating point)."""
    if _state["level"] is None:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level "
                           "exists, make sure to enter_dual_level() first.")
    if tensor._data.dtype.kind not in "fc":
        raise ValueError(f"Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError("Trying to set a forward gradient that has a different size than "
                           "that of the original Tensor, this is not supported. Tensor is of "
                           f"size {list(tensor.shape)} while the given forward gradient is of "
                           f"size {list(tangent.shape)}.")
    return _as_dual(tensor.view(tuple(tensor.shape)), tangent)


def unpack_dual(tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of ``tensor``: the primal a plain view, the tangent None when
    ``tensor`` carries none."""
    if not isinstance(tensor, DualTensor):
        return UnpackedDualTensor(tensor, None)
    primal = tensor.view(tuple(tensor.shape))
    primal.__class__ = Tensor
    _drop_tangent(primal)
    return UnpackedDualTensor(primal, tangent_of(tensor))


def _primal(a):
    """A dual argument as a plain tensor sharing its storage and graph."""
    if not isinstance(a, DualTensor):
        return a
    plain = wrap_array(a._data, a._version_counter)
    plain._requires_grad, plain.grad_fn, plain.grad = a._requires_grad, a.grad_fn, a.grad
    plain._extra = dict(a._extra)
    _drop_tangent(plain)
    return plain


def _drop_tangent(t) -> None:
    if t._extra:
        t._extra.pop("tangent", None)
        t._extra = t._extra or None


def apply_dual(op, args: tuple, attrs: dict):
    """The mode's handler: ``op`` on the primals, plus the output's tangent."""
    primals = tuple(_primal(a) for a in args)
    # (A variadic op, concat, takes its inputs as one sequence; the dispatcher unpacked it.)
    out = op(list(primals), **attrs) if op.variadic else op(*primals, **attrs)
    if not isinstance(out, TensorBase) or out._data.dtype.kind not in "fc" \
            or _state["level"] is None:
        return out
    base = out._extra.get("base") if out._extra else None
    if base is not None:  # a view's base is the dual argument, not its plain stand-in
        for plain, a in zip(primals, args, strict=True):
            if base is plain:
                out._extra["base"] = a
    tangents = tuple(tangent_of(a) if isinstance(a, DualTensor) else None for a in args)
    tangent = jvp_of(op, primals, out, tangents, attrs)
    if tangent is None:
        return out
    return _as_dual(out, tangent)


def give_tangent(t, tangent) -> None:
    """Make ``t`` a dual tensor carrying ``tangent`` (an in-place write, see `tangents`)."""
    if _state["level"] is not None:
        _as_dual(t, tangent)


def split_duals(args: tuple) -> tuple[tuple, list]:
    """A custom Function's arguments as plain tensors, and their tangents (None: none)."""
    return tuple(_primal(a) for a in args), [tangent_of(a) if isinstance(a, DualTensor) else None
                                             for a in args]


def function_jvp(cls, ctx, args: tuple, outs: list, tangents: list) -> None:
    """Give the outputs of a custom Function ``cls`` the tangents its ``jvp`` returns (it
    gets a tangent per argument: zeros for a tensor without one, None for a non-tensor; and
    reads what ``ctx.save_for_forward`` kept as ``ctx.saved_tensors``)."""
    given = [t if t is not None else a.new_zeros(a.shape) if isinstance(a, TensorBase)
             else None for a, t in zip(args, tangents, strict=True)]
    ctx.in_jvp = True
    try:
        result = cls.jvp(ctx, *given)
    finally:
        ctx.in_jvp = False
    result = result if isinstance(result, tuple | list) else (result,)
    for k, (out, tangent) in enumerate(zip(outs, result, strict=False)):
        if isinstance(out, TensorBase) and tangent is not None:
            outs[k] = _as_dual(out, tangent)


FORWARD_AD.update(give=give_tangent, split_duals=split_duals, function_jvp=function_jvp)
shared_ops.register_mode("forward_ad", DualTensor, apply_dual, priority=15,
                         dtype_of=lambda t: t._data.dtype)
