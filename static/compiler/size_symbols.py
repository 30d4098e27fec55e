"""Planned sizes that stand for dims the graph leaves unknown: `PlannedDim` and `SizeNames`.

A step is planned for concrete feed shapes, yet the graph may leave some feed dims unknown
(a placeholder's None: the batch). The planner computes every aval with `PlannedDim`s there:
ints whose value is the planned one (so every decision and the executed step are exactly
those of plain ints) and that also carry the expression of the unknown feed dims they were
computed from, in `static.symbolic_size`'s format with leaves ``("dim", j, axis)`` (axis of
the step's input ``j``). Shape rules run on them unchanged and their int arithmetic keeps the
expression; `settle` then trusts the graph's own avals: a dim the graph knows is a plain int,
a dim it leaves unknown keeps its expression, or, where a rule lost it (a slice's length
``len(range(...))``, NumPy arithmetic), is listed by `baked` at its planned value. (A
data-dependent dim stays None in the plan: its kernel allocates at run time.)

The readable source spells such a dim as its expression over names its header binds
(`SizeNames`): ``np.empty((N, 32), 'float32')``, ``x.reshape((N * 5,))``.

    >>> n = PlannedDim(32, ("dim", 0, 0))
    >>> n * 5, (n * 5).expr, (1 * n) is n
    (160, ('mul', ('dim', 0, 0), 5), True)
"""

from __future__ import annotations

import operator
import re

import shared_ops
from shared_ops.aval import Aval

from ..symbolic_size import SizeArithmetic, spell_size
from .source_text import Names, UnsafeSourceError, comment

_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
          "floordiv": operator.floordiv, "mod": operator.mod}
# What a spelled size may hold: names, digits, spaces, arithmetic and parentheses.
_SPELLED = re.compile(r"[A-Za-z0-9_ ()*+\-/%]+\Z")


class PlannedDim(SizeArithmetic, int):
    """A planned dim: the int it is for this plan, and ``expr``, what it is of unknown feed
    dims. Prints, compares and hashes as the int."""

    expr: tuple

    def __new__(cls, value: int, expr: tuple) -> PlannedDim:
        dim = super().__new__(cls, value)
        dim.expr = expr
        return dim

    def __reduce__(self):  # a copy of a plan is plain ints
        return int, (int(self),)

    def _arith(self, tag: str, other, reflected: bool = False):
        if not isinstance(other, int) or isinstance(other, bool):
            return _ARITH[tag](*((other, int(self)) if reflected else (int(self), other)))
        a, b = (other, self) if reflected else (self, other)
        return combine(tag, a, b)

    def __neg__(self):
        return PlannedDim(-int(self), ("neg", self.expr))

    def __pos__(self):
        return self


def expression(d: int):
    """The expression a dim stands for: ``d.expr``, or the plain int."""
    return d.expr if isinstance(d, PlannedDim) else int(d)


def combine(tag: str, a: int, b: int) -> int:
    """``a <tag> b`` as a `PlannedDim` when either is one (identities folded away)."""
    value = _ARITH[tag](int(a), int(b))
    ea = a.expr if isinstance(a, PlannedDim) else int(a)
    eb = b.expr if isinstance(b, PlannedDim) else int(b)
    if isinstance(ea, int) and isinstance(eb, int):
        return value
    if (tag in ("mul", "floordiv") and eb == 1) or (tag in ("add", "sub") and eb == 0):
        return a
    if (tag == "mul" and ea == 1) or (tag == "add" and ea == 0):
        return b
    return PlannedDim(value, (tag, ea, eb))


def size_key(shape: tuple) -> tuple:
    """The shape with each dim as its expression: two buffers of one key hold values of one
    shape for every size of the unknown dims (a batch of 32 is not the hidden size 32)."""
    return tuple(expression(d) for d in shape)


def planned_feeds(inputs: list, feed_avals: dict) -> dict:
    """The feeds' avals with each dim the placeholder leaves unknown as a `PlannedDim` leaf."""
    out, same = {}, {}
    for j, p in enumerate(inputs):
        aval, static = feed_avals[p], p.aval.shape
        if len(static) != len(aval.shape):
            out[p] = aval
            continue
        out[p] = Aval(tuple(_leaf(d, ("dim", j, k), same) if s is None else d
                            for k, (d, s) in enumerate(zip(aval.shape, static, strict=True))),
                      aval.dtype)
    return out


class _Leaf(PlannedDim):
    """An unknown feed dim itself. The leaves of one plan share ``same``: leaf -> a leaf a
    shape rule took it to equal (broadcasting x0's batch against y0's), so both get one name.
    (Only leaves compare in Python: derived dims keep int's own ``==``.)"""

    same: dict

    def __eq__(self, other: object):
        equal = int.__eq__(self, other)
        if type(other) is not _Leaf or equal is not True:  # (most comparisons: d == 1)
            return equal
        if other.same is self.same and other.expr != self.expr:
            a, b = sorted((_root(self.same, self.expr), _root(self.same, other.expr)))
            if a != b:
                self.same[b] = a  # the later input's dim is named after the earlier one's
        return equal

    def __ne__(self, other: object):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = int.__hash__


def _leaf(value: int, expr: tuple, same: dict) -> _Leaf:
    dim = _Leaf(value, expr)
    dim.same = same
    return dim


def _root(same: dict, leaf: tuple) -> tuple:
    while leaf in same:
        leaf = same[leaf]
    return leaf


def settle(node, aval: Aval) -> Aval:
    """``aval`` as the graph knows it: a dim the node's static aval knows is a plain int, an
    unknown one keeps its expression (see `baked` for one whose rule lost it)."""
    static = getattr(node.aval, "shape", None)
    if static is None or len(static) != len(aval.shape) or all(
            s is None or type(d) is int for d, s in zip(aval.shape, static, strict=True)):
        return aval  # (most nodes)
    return Aval(tuple(d if s is None or d is None else int(d)
                      for d, s in zip(aval.shape, static, strict=True)), aval.dtype)


def baked(avals: dict) -> list:
    """``(node, axis)`` of each planned dim the graph leaves unknown that is a plain int:
    a rule computed it without keeping its expression (a slice's ``len(range(...))``)."""
    out = []
    for node, aval in avals.items():
        static = getattr(node.aval, "shape", None)
        if static is not None and None in static and len(static) == len(aval.shape):
            out.extend((node, k) for k, (d, s) in enumerate(zip(aval.shape, static,
                                                                  strict=True))
                       if s is None and d is not None and not isinstance(d, PlannedDim))
    return out


def size_dependent(fixed: dict, avals: dict) -> set:
    """The plan-time values (``fixed``) that follow from unknown feed dims: counts of a
    value with a planned dim (``numel``), and what is computed from them (``1 / numel``)."""
    out = set()
    for n in fixed:
        op = shared_ops.OPS.get(n.op)
        if any(i in out for i in n.inputs) or (op is not None and op.shape_only and any(
                isinstance(d, PlannedDim) for i in n.inputs for d in avals[i].shape)):
            out.add(n)
    return out


class SizeNames:
    """The names the readable source gives the unknown feed dims it spells: ``N`` for the
    first one spelled, ``N_1``... after (names from the step's `Names`, so none clashes).
    ``spell`` is `source_text.spelling_sizes`'s hook; ``header`` binds the names used."""

    def __init__(self, names: Names, feeds: dict, inputs: list):
        self._names = names
        leaves = [d for p in inputs for d in feeds[p].shape if isinstance(d, PlannedDim)]
        self._values = {d.expr: int(d) for d in leaves}
        same = dict(getattr(leaves[0], "same", {})) if leaves else {}  # as planned
        self._root = {d.expr: _root(same, d.expr) for d in leaves}
        self._used: dict[tuple, str] = {}  # root leaf -> its name
        self.params: list[str] = []  # the step's parameter names, for the header's comments

    def spell(self, value: int) -> str | None:
        """``value``'s expression as Python text, or None for a plain int."""
        if not isinstance(value, PlannedDim):
            return None
        text = spell_size(value.expr, self._leaf)
        if not _SPELLED.match(text):
            raise UnsafeSourceError(f"generated code: a size spelled {text!r:.60}")
        return text

    def _leaf(self, leaf: tuple) -> str:
        root = self._root.get(leaf, leaf)
        if root not in self._used:
            self._used[root] = self._names.fresh("N")
        return self._used[root]

    def _dim_text(self, leaf: tuple) -> str:
        _, j, k = leaf
        return f"{self.params[j] if j < len(self.params) else f'input {j}'}.shape[{k}]"

    def header(self, lost: list) -> list[str]:
        """``N = 32  # x0.shape[0] ...`` for each name used; a note on the ``lost`` sizes
        (`baked`)."""
        lines = []
        if self._used:
            lines.append("# Sizes the graph leaves unknown, here as planned; assign others "
                         "to run the step for them:")
        for root, name in self._used.items():
            dims = [self._dim_text(leaf) for leaf in self._root if self._root[leaf] == root]
            lines.append(f"{name} = {self._values[root]}  # {' = '.join(dims)}")
        if lost:
            what = ", ".join(f"%{n.name} dim {k}" for n, k in lost[:6])
            more = f" and {len(lost) - 6} more" if len(lost) > 6 else ""
            lines.append(f"# Baked at their planned values (the plan knows them as no "
                         f"expression of the feeds' sizes): {comment(what)}{more}")
        return lines

