"""The hypothesis strategy that draws well-typed fuzz programs, statement by statement.

Input shapes are suffixes of one base shape with some dims set to 1, so that inputs broadcast
against each other often. Each statement draws an entry, arguments among the values so far
(whose intervals the entry's domain accepts) and attrs; then the op's own shape rule decides:
the statement's text is staged on placeholders of the argument avals in a scratch static graph,
and anything the shape rules reject is drawn again. So programs are well-typed by the very
rules the modes use, and a generated program that an executor cannot run is a finding.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

import shared_ops as ops
import static
from shared_ops import Aval
from shared_ops.errors import OpError

from . import intervals as I  # noqa: N812
from .catalog import ENTRIES, Entry
from .program import Program, Stmt

F64 = np.dtype(np.float64)
DOMAINS = ((-2.0, 2.0), (0.5, 2.0))  # any sign; positive (log, sqrt, pow, div work on it)
TRIES = 12  # draws per statement before giving up on it


def infer(e: Entry, avals: list[Aval], attrs: dict) -> Aval | None:
    """The result aval of ``e`` on ``avals`` by the ops' shape rules; None if they reject it."""
    names = [f"a{i}" for i in range(len(avals))]
    with static.Graph():
        env = {n: static.placeholder(a.shape, dtype=a.dtype, name=n)
               for n, a in zip(names, avals, strict=True)}
        env.update(ops=ops, np=np)
        try:
            out = eval(e.render(e.ours, names, attrs), env)  # noqa: S307 -- catalog text
        except OpError:
            return None
    return out.aval


@st.composite
def input_shapes(draw, max_inputs: int = 3, max_rank: int = 3, max_dim: int = 4,
                 empty: bool = False):
    """Suffixes of one base shape, some dims set to 1; ``empty``: base dims may be 0."""
    base = draw(st.lists(st.integers(0 if empty else 1, max_dim), max_size=max_rank))
    shapes = []
    for _ in range(draw(st.integers(1, max_inputs))):
        rank = draw(st.integers(0, len(base)))
        suffix = base[len(base) - rank:]
        shapes.append(tuple(1 if draw(st.booleans()) and draw(st.booleans()) else d
                            for d in suffix))
    return tuple(shapes)


@st.composite
def statement(draw, entries: list[str], avals: list[Aval], ivs: list[I.Interval]):
    """One statement with its result aval and interval, or None when nothing fitted."""
    usable = [i for i, iv in enumerate(ivs) if I.bounded(iv)]
    if not usable:
        return None
    # A hypothesis-driven Random picks the entry: sampled_from favours the first names of the
    # list (abs, add...), random.choice spreads over the catalog and still shrinks.
    rnd = draw(st.randoms(use_true_random=False))
    for _ in range(TRIES):
        e = ENTRIES[rnd.choice(entries)]
        args = tuple(draw(st.sampled_from(usable)) for _ in range(e.arity))
        arg_ivs = [ivs[a] for a in args]
        if not e.domain(arg_ivs):
            continue
        arg_avals = [avals[a] for a in args]
        attrs = e.attrs(draw, arg_avals) if e.attrs else {}
        out = infer(e, arg_avals, attrs)
        if out is None or not e.valid(arg_avals, attrs, out):
            continue
        iv = e.bound(arg_ivs, attrs, arg_avals, out)
        if not I.bounded(iv) or math.prod(out.shape) > 256:
            continue
        return Stmt(e.name, args, tuple(attrs.items())), out, iv
    return None


@st.composite
def programs(draw, entries: list[str] | None = None, max_inputs: int = 3,
             max_stmts: int = 6, empty: bool = False) -> Program:
    """Well-typed programs over ``entries`` (default: the whole catalog); ``empty`` lets
    input dims be 0 (zero-size arrays)."""
    names = sorted(ENTRIES) if entries is None else list(entries)
    shapes = draw(input_shapes(max_inputs=max_inputs, empty=empty))
    domains = tuple(draw(st.sampled_from(DOMAINS)) for _ in shapes)
    avals = [Aval(s, F64) for s in shapes]
    ivs = list(domains)
    stmts = []
    for _ in range(draw(st.integers(1, max_stmts))):
        got = draw(statement(names, avals, ivs))
        if got is None:
            continue
        stmt, aval, iv = got
        stmts.append(stmt)
        avals.append(aval)
        ivs.append(iv)
    if not stmts:  # every program computes something: fall back to one elementwise op
        stmts.append(Stmt("neg", (0,), ()))
    return Program(shapes, domains, tuple(stmts), seed=draw(st.integers(0, 2**16)))
