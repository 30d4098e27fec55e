"""The fuzzer's op table: what a program statement may be, written once as source text.

An `Entry` holds two templates: the shared_ops call (``ops.exp({0})``) and the PyTorch
equivalent (``torch.exp({0})``). ``{0}``, ``{1}``... are argument names and ``{axis}``... the
repr of drawn attrs. The same text is executed by every mode (ops dispatch on Tensors, Nodes
or arrays) and printed in a failing case's script, so what runs is exactly what is shown.

Each entry also knows which arguments it accepts (an interval ``domain``, see `intervals`), how
to draw its attrs from the argument avals, and the interval of its result. Whether the shapes
fit is never guessed here: the generator asks the op's own shape rule (`generate.py`).

This file holds the elementwise entries; `catalog_struct` adds reductions, shape ops,
indexing, joins and matmul.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from . import intervals as I  # noqa: N812 -- reads like math: I.mul(a, b)

Bound = Callable[..., I.Interval]


@dataclass(frozen=True)
class Entry:
    """One kind of statement. ``attrs(draw, avals) -> dict`` draws attrs (None: no attrs);
    ``domain(ivs) -> bool`` accepts argument intervals; ``bound(ivs, attrs, avals, out)``
    gives the result interval (avals: argument avals, out: result aval); ``valid(avals, attrs,
    out)`` rules out what the shape rule accepts but the comparison cannot use."""

    name: str
    ours: str
    torch: str
    bound: Bound
    arity: int = 1
    attrs: Callable[..., dict] | None = None
    domain: Callable[[list[I.Interval]], bool] = field(default=lambda ivs: True)
    valid: Callable[..., bool] = field(default=lambda avals, attrs, out: True)

    def render(self, template: str, args: list[str], attrs: dict[str, Any]) -> str:
        """The call text with argument names and attr reprs filled in."""
        return template.format(*args, **{k: repr(v) for k, v in attrs.items()})


ENTRIES: dict[str, Entry] = {}


def entry(name: str, ours: str, torch: str, bound: Bound, **kw) -> Entry:
    e = Entry(name, ours, torch, bound, **kw)
    ENTRIES[name] = e
    return e


def _first(f: Callable[[I.Interval], I.Interval]) -> Bound:
    """A bound from a map of the first argument's interval."""
    return lambda ivs, attrs, avals, out: f(ivs[0])


def _unary(name: str, bound_fn, domain=None, torch: str | None = None) -> None:
    kw = {"domain": domain} if domain else {}
    entry(name, f"ops.{name}({{0}})", torch or f"torch.{name}({{0}})", _first(bound_fn), **kw)


# --- unary math ------------------------------------------------------------------------------
_unary("neg", I.neg)
_unary("exp", I.monotone(math.exp), lambda ivs: ivs[0][1] <= 6.0)
_unary("log", I.monotone(math.log), lambda ivs: ivs[0][0] >= 0.05)
_unary("log1p", I.monotone(math.log1p), lambda ivs: ivs[0][0] >= -0.5)
_unary("sqrt", I.monotone(math.sqrt), lambda ivs: ivs[0][0] >= 0.05)
_unary("sin", lambda iv: (-1.0, 1.0))
_unary("cos", lambda iv: (-1.0, 1.0))
_unary("tanh", I.monotone(math.tanh))
_unary("sigmoid", I.monotone(I.sigmoid))
_unary("erf", I.monotone(math.erf), torch="torch.special.erf({0})")
_unary("relu", I.relu)
_unary("abs", I.absval)
entry("stop_gradient", "ops.stop_gradient({0})", "{0}.detach()", _first(lambda iv: iv))


# --- with a Python scalar (weak: keeps float64) ------------------------------------------------
def _const(draw, avals) -> dict:
    return {"c": draw(st.sampled_from([0.5, 1.5, -2.0, 3.0]))}


entry("add_c", "ops.add({0}, {c})", "({0} + {c})",
      lambda ivs, a, *_: (ivs[0][0] + a["c"], ivs[0][1] + a["c"]), attrs=_const)
entry("rsub_c", "ops.sub({c}, {0})", "({c} - {0})",
      lambda ivs, a, *_: (a["c"] - ivs[0][1], a["c"] - ivs[0][0]), attrs=_const)
entry("mul_c", "ops.mul({0}, {c})", "({0} * {c})",
      lambda ivs, a, *_: I.mul(ivs[0], (a["c"], a["c"])), attrs=_const)
entry("rdiv_c", "ops.div({c}, {0})", "({c} / {0})",
      lambda ivs, a, *_: I.mul((a["c"], a["c"]), I.recip(ivs[0])), attrs=_const,
      domain=lambda ivs: I.excludes_zero(ivs[0]))


def _power(draw, avals) -> dict:
    return {"p": draw(st.sampled_from([2.0, 3.0, 0.5, -1.0, 1.5]))}


entry("pow_c", "ops.pow({0}, {p})", "torch.pow({0}, {p})",
      lambda ivs, a, *_: I.power(ivs[0], a["p"]), attrs=_power,
      # Non-integer and negative powers only of values bounded away from 0.
      domain=lambda ivs: ivs[0][0] >= 0.1)
entry("square", "ops.pow({0}, 2.0)", "torch.pow({0}, 2.0)", _first(lambda iv: I.power(iv, 2.0)))


def _clip_attrs(draw, avals) -> dict:
    lo = draw(st.sampled_from([-1.0, -0.25, 0.0]))
    return {"lo": lo, "hi": lo + draw(st.sampled_from([0.5, 1.0, 2.0]))}


entry("clip", "ops.clip({0}, {lo}, {hi})", "torch.clamp({0}, {lo}, {hi})",
      lambda ivs, a, *_: (min(max(ivs[0][0], a["lo"]), a["hi"]),
                          max(min(ivs[0][1], a["hi"]), a["lo"])), attrs=_clip_attrs)


# --- binary, broadcasting ----------------------------------------------------------------------
def _binary(name: str, torch: str, bound_fn, domain=None) -> None:
    kw = {"domain": domain} if domain else {}
    entry(name, f"ops.{name}({{0}}, {{1}})", torch, lambda ivs, *_: bound_fn(*ivs), arity=2,
          **kw)


_binary("add", "({0} + {1})", lambda a, b: (a[0] + b[0], a[1] + b[1]))
_binary("sub", "({0} - {1})", lambda a, b: (a[0] - b[1], a[1] - b[0]))
_binary("mul", "({0} * {1})", I.mul)
_binary("div", "({0} / {1})", I.div, lambda ivs: I.excludes_zero(ivs[1]))
_binary("maximum", "torch.maximum({0}, {1})", lambda a, b: (max(a[0], b[0]), max(a[1], b[1])))
_binary("minimum", "torch.minimum({0}, {1})", lambda a, b: (min(a[0], b[0]), min(a[1], b[1])))
_binary("pow", "torch.pow({0}, {1})", I.pow_tensor,
        lambda ivs: ivs[0][0] >= 0.1 and ivs[0][1] <= 4.0 and ivs[1][0] >= -3.0
        and ivs[1][1] <= 3.0)
entry("where_gt", "ops.where(ops.gt({0}, {1}), {2}, {3})", "torch.where({0} > {1}, {2}, {3})",
      lambda ivs, *_: I.hull(ivs[2], ivs[3]), arity=4)
