"""Algebraic simplification rules, as data: one small named rule per identity.

Each `Rule` says which op it looks at, documents itself as ``before -> after`` and returns
the replacement node (built through the `Rewriter`) or None when it does not apply. The
`simplify` pass applies them to a fixpoint. A rule only fires when the replacement has exactly
the aval of the node it replaces (``x * 1`` stays when the 1 broadcasts ``x`` to a bigger
shape). ``exp(log x) -> x`` and ``x - x -> 0`` are the usual fast-math identities: they hold
for the finite, positive values they are meant for (not for nan/inf or log of negatives).

    >>> [r.name for r in RULES][:3]
    ['add_zero', 'sub_zero', 'sub_self']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from shared_ops.aval import Aval

from ..graph import Node
from .rewriter import Rewriter


class Term(NamedTuple):
    """A node about to be built: what the rules look at."""

    op: str
    inputs: tuple[Node, ...]
    attrs: dict
    aval: Aval
    name: str
    like: Node  # the original node (location, meta, origin)


@dataclass(frozen=True)
class Rule:
    name: str
    op: str
    pattern: str
    fn: Callable[[Term, Rewriter], Node | None]


RULES: list[Rule] = []


def rule(op: str, pattern: str):
    """Register the decorated function as the rule ``pattern`` on nodes of ``op``."""

    def wrap(fn):
        RULES.append(Rule(fn.__name__, op, pattern, fn))
        return fn

    return wrap


# --- helpers -----------------------------------------------------------------------------------
def scalar_value(n: Node):
    """The value of a node that is one number everywhere: a constant, a broadcast of one, or
    a ``full_like``; else None."""
    if n.op == "broadcast_to":
        n = n.inputs[0]
    if n.op == "constant" and n.value is not None and n.value.size >= 1:
        flat = n.value.reshape(-1)
        first = flat[0]
        if flat.size == 1 or bool(np.all(flat == first)):
            return first.item()
    if n.op == "full_like":
        return n.attrs.get("fill_value", 0)
    return None


def is_value(n: Node, c: float) -> bool:
    v = scalar_value(n)
    return v is not None and not isinstance(v, bool) and v == c


def same(t: Term, x: Node, other: Node | None = None) -> Node | None:
    """``x`` if it can stand for ``t`` as it is (same shape and dtype), else None.

    With unknown dims, equal avals are not proof enough (``?`` may be 1 and broadcast): the
    shapes must be known, or the ``other`` operand must be all ones that cannot broadcast x.
    """
    if x.aval != t.aval:
        return None
    if None not in x.shape:
        return x
    if other is not None and other.op == "full_like" and other.inputs[0] is x:
        return x  # zeros shaped exactly like x
    if other is not None and other.ndim <= x.ndim and all(d == 1 for d in other.shape):
        return x
    return None


# --- identities of arithmetic ------------------------------------------------------------------
def _neutral(name: str, op: str, value: int, *, either_side: bool = False):
    """Register the rule ``name``: ``op(x, value) -> x`` (and ``op(value, x) -> x`` when
    ``value`` is neutral on both sides); returns its function."""

    def fn(t: Term, rw: Rewriter) -> Node | None:
        x, y = t.inputs
        if is_value(y, value):
            return same(t, x, y)
        if either_side and is_value(x, value):
            return same(t, y, x)
        return None

    fn.__name__ = fn.__qualname__ = name
    pattern = f"{op}(x, {value}) -> x" + (f", {op}({value}, x) -> x" if either_side else "")
    return rule(op, pattern)(fn)


add_zero = _neutral("add_zero", "add", 0, either_side=True)
sub_zero = _neutral("sub_zero", "sub", 0)


@rule("sub", "sub(x, x) -> full_like(x, 0)")
def sub_self(t: Term, rw: Rewriter):
    x, y = t.inputs
    if x is y and x.aval == t.aval:
        return rw.emit("full_like", (x,), {"fill_value": 0}, origin=[t.like], name=t.name)
    return None


mul_one = _neutral("mul_one", "mul", 1, either_side=True)
div_one = _neutral("div_one", "div", 1)
pow_one = _neutral("pow_one", "pow", 1)


@rule("neg", "neg(neg(x)) -> x")
def neg_neg(t: Term, rw: Rewriter):
    (x,) = t.inputs
    return x.inputs[0] if x.op == "neg" else None


@rule("exp", "exp(log(x)) -> x")
def exp_log(t: Term, rw: Rewriter):
    (x,) = t.inputs
    return x.inputs[0] if x.op == "log" and x.inputs[0].aval == t.aval else None


@rule("log", "log(exp(x)) -> x")
def log_exp(t: Term, rw: Rewriter):
    (x,) = t.inputs
    return x.inputs[0] if x.op == "exp" and x.inputs[0].aval == t.aval else None


@rule("log", "log(div(exp(s), sum(exp(s), a, keepdims))) -> sub(s, logsumexp(s, a, keepdims))")
def log_softmax(t: Term, rw: Rewriter):
    # log(softmax(x)) is log_softmax(x): finite where the softmax underflows to 0, and the
    # form the cross-entropy fusion recognizes.
    (q,) = t.inputs
    if q.op != "div" or q.inputs[0].op != "exp" or q.inputs[1].op != "sum":
        return None
    e, total = q.inputs
    axis = total.attrs.get("axis")
    if total.inputs[0] is not e or not total.attrs.get("keepdims") or \
            not isinstance(axis, int | np.integer) or e.aval != t.aval:
        return None
    s = e.inputs[0]
    lse = rw.emit("logsumexp", (s,), {"axis": int(axis), "keepdims": True},
                  origin=[total, e], name=f"{t.name}_logsumexp", like=t.like)
    return rw.emit("sub", (s, lse), {}, origin=[t.like, q], name=t.name, like=t.like)


# --- shapes -----------------------------------------------------------------------------------
@rule("transpose", "transpose(transpose(x, a), b) -> transpose(x, a[b]) (or x)")
def transpose_transpose(t: Term, rw: Rewriter):
    (x,) = t.inputs
    if x.op != "transpose":
        return None
    inner = x.inputs[0]
    n = inner.ndim
    a = x.attrs.get("axes") or tuple(range(n - 1, -1, -1))
    b = t.attrs.get("axes") or tuple(range(n - 1, -1, -1))
    perm = tuple(a[i % n] % n for i in b)
    if perm == tuple(range(n)):
        return inner
    return rw.emit("transpose", (inner,), {"axes": perm}, origin=[t.like, x], name=t.name,
                   like=t.like)


@rule("reshape", "reshape(reshape(x, s1), s2) -> reshape(x, s2)")
def reshape_reshape(t: Term, rw: Rewriter):
    x = t.inputs[0]
    if x.op != "reshape":
        return None
    return rw.emit("reshape", (x.inputs[0],) + t.inputs[1:], t.attrs, origin=[t.like, x],
                   name=t.name, like=t.like)


@rule("reshape", "reshape(x, shape of x) -> x")
def reshape_same(t: Term, rw: Rewriter):
    return same(t, t.inputs[0]) if None not in t.aval.shape else None


@rule("broadcast_to", "broadcast_to(x, shape of x) -> x")
def broadcast_same(t: Term, rw: Rewriter):
    return same(t, t.inputs[0]) if None not in t.aval.shape else None


@rule("sum_to", "sum_to(x, shape of x) -> x")
def sum_to_same(t: Term, rw: Rewriter):
    return same(t, t.inputs[0]) if None not in t.aval.shape else None


@rule("cast", "cast(x, dtype of x) -> x")
def cast_same(t: Term, rw: Rewriter):
    return t.inputs[0] if t.inputs[0].aval == t.aval else None


@rule("squeeze", "squeeze(expand_dims(x, a), a) -> x")
def squeeze_expand(t: Term, rw: Rewriter):
    (x,) = t.inputs
    if x.op == "expand_dims" and x.inputs[0].aval == t.aval:
        return x.inputs[0]
    return None


# --- a broadcast scalar needs no broadcast: ufuncs broadcast by themselves ----------------
def _scalar_operand(t: Term, rw: Rewriter):
    for k, b in enumerate(t.inputs):
        s = b.inputs[0] if b.op == "broadcast_to" else None
        if s is None or s.ndim != 0:
            continue
        inputs = t.inputs[:k] + (s,) + t.inputs[k + 1:]
        if any(i.op != "constant" or i.ndim for i in inputs if i is not s) and \
                _same_aval(t, inputs):
            return rw.emit(t.op, inputs, t.attrs, origin=[t.like, b], name=t.name, like=t.like)
    return None


def _same_aval(t: Term, inputs) -> bool:
    from shared_ops import OPS

    return OPS[t.op].shape_rule(*(i.aval for i in inputs), **t.attrs) == t.aval


def _binary_ufunc_ops() -> list[str]:
    """The ops computed by a binary elementwise ufunc (their ``ufunc`` facet), registered now:
    they broadcast a scalar operand by themselves."""
    from shared_ops import OPS

    return [name for name, op in OPS.items()
            if getattr(op, "ufunc", None) is not None and op.ufunc.nin == 2]


for _op in _binary_ufunc_ops():
    RULES.append(Rule("broadcast_scalar", _op, f"{_op}(x, broadcast_to(s)) -> {_op}(x, s)",
                      _scalar_operand))

RULES_BY_OP: dict[str, list[Rule]] = {}
for _r in RULES:
    RULES_BY_OP.setdefault(_r.op, []).append(_r)
