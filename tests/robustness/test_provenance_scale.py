"""Provenance at scale: recording which original nodes an optimized node stands for costs
linear memory, however many rewrites merge into one node, and reads as it always did.

Chains the compiler collapses into one node (a chain of constants that folds; reshapes of
reshapes that simplify) merge, at every rewrite, the origin of everything before: merged as
set unions that was O(n^2) memory (31,000 nodes: 3.7 GB). Measured here by allocation
(tracemalloc's peak), never by time: 4x the chain must cost at most ~4x the memory.
"""

from __future__ import annotations

import copy
import gc
import pickle
import tracemalloc

import numpy as np
import pytest

import static
from compare.zoo.static_graphs import folding_chain, reshape_chain
from static.compiler import compile as compile_graph
from static.compiler.provenance import (
    MergedOrigin,
    describe_origin,
    merge,
    origin_lines,
    origin_of,
    statement_comment,
    union,
)


def _compile_peak(build, n_ops: int) -> int:
    """Peak bytes allocated while compiling (every pass) and generating the step's code for
    ``build(n_ops)``; the graph itself is built before measuring."""
    g, x, loss = build(n_ops)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        step = compile_graph(g, [loss], [x])
        step(np.ones((4, 3), np.float32))
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("build", [folding_chain, reshape_chain], ids=["fold", "simplify"])
def test_compiling_a_collapsing_chain_allocates_linearly(build):
    _compile_peak(build, 50)  # first-call work (op lookups, caches) out of the way
    small = _compile_peak(build, 500)
    large = _compile_peak(build, 2000)
    # Linear: ~4x. Unions of growing sets: ~16x (and more as the chain grows).
    assert large < 6 * small, f"peak {small} bytes at 500 ops, {large} at 2000"


def test_a_collapsed_chain_still_names_every_node_it_stands_for():
    g, x, loss = reshape_chain(300)
    step = compile_graph(g, [loss], [x])
    (last,) = [n for n in step.graph.nodes if n.op == "reshape"]
    origin = origin_of(last)
    reshapes = {n.name for n in g.nodes if n.op == "reshape"}
    assert reshapes <= {name for name, _ in origin} and len(origin) == len(reshapes)
    # The statement's comment: the first four other names in sorted order, and a count.
    others = sorted({name for name, _ in origin} - {last.name})
    assert f"<- {' '.join('%' + n for n in others[:4])} +{len(others) - 4}" in \
        statement_comment(last)
    assert f"%{last.name} = reshape" in step.source or last.name in step.source


def test_a_merged_origin_reads_as_the_frozenset_it_stands_for():
    a = frozenset({("a", "m.py:1")})
    b = frozenset({("b", "")})
    c = frozenset({("c", "m.py:3"), ("a", "m.py:1")})
    merged = merge([merge([a, b]), a, c])
    expected = a | b | c
    assert isinstance(merged, MergedOrigin)
    assert merged == expected and expected == merged and hash(merged) == hash(expected)
    assert len(merged) == 3 and sorted(merged) == sorted(expected)
    assert ("a", "m.py:1") in merged and ("z", "") not in merged
    assert {merged: 1}[expected] == 1  # usable as the equal frozenset's key
    for copied in (pickle.loads(pickle.dumps(merged)), copy.deepcopy(merged)):
        assert type(copied) is frozenset and copied == expected
    assert describe_origin(merged) == describe_origin(expected) == \
        "%a (m.py:1), %b, %c (m.py:3)"
    assert origin_lines(merged) == ["m.py:1", "m.py:3"]


def test_merging_costs_pointers_not_copies():
    a = frozenset({("a", "")})
    assert merge([a]) is a and merge([a, a, frozenset()]) is a  # nothing new to record
    grown = union(a, frozenset({("b", "")}))
    assert union(grown, a) is grown and union(grown, grown.parts[1]) is grown  # its parts
    again = union(grown, frozenset({("a", "")}))  # an equal set, not a part: merged again,
    assert again is not grown and again == grown  # which reads the same
    assert union(frozenset({("a", ""), ("b", "")}), a) == {("a", ""), ("b", "")}


def test_a_chain_of_many_merges_reads_and_frees_without_recursion():
    origin = frozenset({("n0", "")})
    for k in range(1, 100_000):  # CSE merging 100,000 equal constants into one does this
        origin = union(origin, frozenset({(f"n{k}", "")}))
    assert len(origin) == 100_000 and ("n99999", "") in origin
    assert describe_origin(origin, limit=2) == "%n0, %n1, ... 99998 more"
    del origin  # deallocating the chain must not overflow the C stack either


def test_a_graph_with_a_hand_set_origin_still_compiles_and_explains():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = static.exp(x) + 0.0
    y.meta["origin"] = frozenset({("mine", "user.py:7")})  # as a loaded graph carries it
    step = compile_graph(g, [y], [x])
    assert "<- %mine" in step.source
    np.testing.assert_allclose(step(np.zeros(2, np.float32))[0], [1.0, 1.0])
