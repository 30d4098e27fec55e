"""Every op case of the shared registry walk, run through the static mode for real.

For each `OpCase` (collected by tests/shared_ops/walk_support.py, every family): the op staged
into a graph on placeholders (all dims known, or the first input's first dim unknown) and run
by the Session gives what the op gives on plain arrays; `static.gradients` of
``sum(g * op(...))`` matches central finite differences; and gradients of those gradients
(Hessian-vector products) match differences of the first gradient. This is the "eager vs
static" row of the walk for the static side.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import static
from shared_ops import OPS

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "shared_ops"))
from walk_staging import stage_case  # noqa: E402
from walk_support import (  # noqa: E402 -- the shared walk's cases and helpers
    CASES,
    case_id,
    differentiable,
    flat_inputs,
    outputs,
    stages,
)


def _staged(c, unknown_dim: bool):
    """The case's op on placeholders: (graph, placeholders by flat position, output nodes)."""
    if not stages(c):
        pytest.skip("static graphs refuse complex values")
    staged = stage_case(c, unknown_dim)
    if unknown_dim and not staged.made_unknown:
        pytest.skip("no input dim to make unknown")
    return staged.graph, staged.flat, staged.holders, staged.outs


@pytest.mark.parametrize("unknown_dim", [False, True], ids=["known", "unknown-dim"])
@pytest.mark.parametrize("c", CASES, ids=case_id)
def test_static_forward_matches_plain_arrays(c, unknown_dim):
    g, flat, holders, outs = _staged(c, unknown_dim)
    static.lint(g)
    feeds = {node: flat[i] for i, node in holders.items()}
    got = static.Session(g).run(outs, feeds)
    want = outputs(OPS[c.op](*c.args, **c.attrs))
    for mine, ref in zip(got, want, strict=True):
        assert mine.dtype == ref.dtype and mine.shape == ref.shape, c.op
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("unknown_dim", [False, True], ids=["known", "unknown-dim"])
@pytest.mark.parametrize("c", [c for c in CASES if c.grad], ids=case_id)
def test_static_gradients_match_finite_differences(c, unknown_dim):
    if not differentiable(c):
        pytest.skip("the op has no gradient")
    op = OPS[c.op]
    g, flat, holders, outs = _staged(c, unknown_dim)
    nondiff = op.nondiff_inputs if op.primitive else ()
    positions = [i for i, n in holders.items() if n.dtype == np.float64 and i not in nondiff]
    rng = np.random.default_rng(7)
    plain = outputs(op(*c.args, **c.attrs))
    cots = [rng.standard_normal(o.shape).astype(o.dtype) for o in plain]
    with g:
        terms = [static.sum(o * ct) for o, ct in zip(outs, cots, strict=True)]
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        grads = static.gradients(total, [holders[i] for i in positions])
    static.lint(g)
    feeds = {node: flat[i] for i, node in holders.items()}
    fetch = [gr for gr in grads if gr is not None]
    values = iter(static.Session(g).run(fetch, feeds))
    _, rebuild = flat_inputs(op, c.args)

    def loss(vals) -> float:
        got = outputs(op(*rebuild(vals), **c.attrs))
        return float(sum(np.sum(ct * np.asarray(o)) for ct, o in zip(cots, got, strict=True)))

    for i, gr in zip(positions, grads, strict=True):
        mine = np.zeros_like(flat[i]) if gr is None else next(values)
        key = (case_id(c), i)  # both variants share the (slow) numeric gradient
        if key not in _NUMERIC:
            _NUMERIC[key] = _numeric_grad(loss, flat, i)
        np.testing.assert_allclose(mine, _NUMERIC[key], rtol=1e-5, atol=1e-6,
                                   err_msg=f"{c.op}: gradient of input {i}")


_NUMERIC: dict[tuple[str, int], np.ndarray] = {}


def _numeric_grad(loss, flat: list, i: int, eps: float = 1e-6) -> np.ndarray:
    numeric = np.zeros_like(flat[i])
    for j in np.ndindex(flat[i].shape):
        plus, minus = flat[i].copy(), flat[i].copy()
        plus[j] += eps
        minus[j] -= eps
        numeric[j] = (loss(flat[:i] + [plus] + flat[i + 1:])
                      - loss(flat[:i] + [minus] + flat[i + 1:])) / (2 * eps)
    return numeric


# Cases evaluated where no second derivative exists (ties, pow at a zero base): see the
# shared registry walk, which skips the same ones.
_NOT_TWICE_SMOOTH = {"pow-zero-base", "maximum-ties", "minimum-ties", "max-ties", "min-ties"}


@pytest.mark.parametrize("c", [c for c in CASES if c.grad], ids=case_id)
def test_static_second_order_matches_finite_differences(c):
    """Gradients of gradients in the graph: Hessian-vector products vs central differences
    of the (static) first gradient."""
    if not differentiable(c) or case_id(c) in _NOT_TWICE_SMOOTH:
        pytest.skip("no second derivative here")
    op = OPS[c.op]
    g, flat, holders, outs = _staged(c, unknown_dim=False)
    nondiff = op.nondiff_inputs if op.primitive else ()
    positions = [i for i, n in holders.items() if n.dtype == np.float64 and i not in nondiff]
    rng = np.random.default_rng(3)
    vs = {i: rng.standard_normal(flat[i].shape) for i in positions}
    with g:
        plain = outputs(op(*c.args, **c.attrs))
        total = sum_all([static.sum(o * rng.standard_normal(p.shape))
                         for o, p in zip(outs, plain, strict=True)])
        first = static.gradients(total, [holders[i] for i in positions])
        terms = [static.sum(gr * vs[i]) for i, gr in zip(positions, first, strict=True)
                 if gr is not None]
        if not terms:
            pytest.skip("the gradient does not depend on the inputs")
        second = static.gradients(sum_all(terms), [holders[i] for i in positions])
    static.lint(g)
    sess = static.Session(g)

    def run(fetches, values):
        got = sess.run([f for f in fetches if f is not None],
                       {node: values[i] for i, node in holders.items()})
        it = iter(got)
        return [np.zeros_like(flat[i]) if f is None else next(it)
                for i, f in zip(positions, fetches, strict=True)]

    hvp = run(second, flat)
    eps = 1e-5
    shift = {s: [a + s * eps * vs[i] if i in vs else a for i, a in enumerate(flat)]
             for s in (1, -1)}
    plus, minus = run(first, shift[1]), run(first, shift[-1])
    for k, i in enumerate(positions):
        np.testing.assert_allclose(hvp[k], (plus[k] - minus[k]) / (2 * eps), rtol=1e-4,
                                   atol=1e-5, err_msg=f"{c.op}: second order, input {i}")


def sum_all(nodes: list):
    total = nodes[0]
    for n in nodes[1:]:
        total = total + n
    return total
