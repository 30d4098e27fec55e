"""Random graphs of elementwise ops, views, reductions and matmuls: the compiled step (buffer
reuse, in-place writes, views, deferred variable updates) agrees with the interpreter.

Memory planning bugs show up as wrong numbers only for some interleavings of views and
last uses; a few hundred random programs (seeded, so failures reproduce) cover many of them.
"""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler import compile

_UNARY = [ops.neg, ops.exp, ops.tanh, ops.sigmoid, ops.relu, ops.abs]
_BINARY = [ops.add, ops.sub, ops.mul, ops.maximum]


def _random_program(rng: np.random.Generator):
    with static.Graph() as g:
        a = static.placeholder((4, 5), name="a")
        b = static.placeholder((None, 5), name="b")
        v = static.variable(rng.standard_normal((4, 5)).astype(np.float32), name="v")
        pools = {(4, 5): [a, b, v], (5, 4): [], (4,): [], (4, 4): []}
        for _ in range(int(rng.integers(6, 16))):
            kind = rng.integers(0, 7)
            src = pools[(4, 5)][int(rng.integers(len(pools[(4, 5)])))]
            if kind == 0:
                pools[(4, 5)].append(_UNARY[rng.integers(len(_UNARY))](ops.mul(src, 0.5)))
            elif kind == 1:
                other = pools[(4, 5)][int(rng.integers(len(pools[(4, 5)])))]
                pools[(4, 5)].append(_BINARY[rng.integers(len(_BINARY))](src, other))
            elif kind == 2:
                pools[(5, 4)].append(ops.transpose(src))
            elif kind == 3:
                pools[(5, 4)].append(ops.reshape(src, shape=(5, 4)))
            elif kind == 4 and pools[(5, 4)]:
                t = pools[(5, 4)][int(rng.integers(len(pools[(5, 4)])))]
                back = ops.transpose(t) if rng.random() < 0.5 else ops.reshape(t, shape=(4, 5))
                pools[(4, 5)].append(ops.add(back, src))
                pools[(4, 4)].append(ops.matmul(src, t))
            elif kind == 5:
                r = ops.sum(src, axis=1)
                pools[(4,)].append(r)
                pools[(4, 5)].append(ops.mul(src, ops.expand_dims(r, axis=1)))
            else:
                pools[(4, 5)].append(ops.broadcast_to(ops.sum(src, axis=0, keepdims=True),
                                                      shape=(4, 5)))
        fetches = [pools[s][-1] for s in pools if pools[s]]
        last = pools[(4, 5)][-1]
        update = static.assign(v, ops.sub(v, ops.mul(last, 0.01)))
        after = ops.add(v, 1.0)  # reads the old v, though built after the assign
    return g, fetches + [update, after], v


@pytest.mark.parametrize("seed", range(40))
def test_compiled_random_program_matches_interpreter(seed):
    rng = np.random.default_rng(seed)
    g, fetches, v = _random_program(rng)
    feeds = {"a": rng.standard_normal((4, 5)).astype(np.float32),
             "b": rng.standard_normal((4, 5)).astype(np.float32)}
    start = v.value.copy()
    want = static.Session(g).run(fetches, feeds)
    want_v = v.value.copy()
    v.value[...] = start
    c = compile(g, fetches)
    for _ in range(2):  # the second run reuses the planned buffers
        v.value[...] = start
        got = c.run(feeds)
        for x, y in zip(got, want, strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(v.value, want_v, rtol=1e-5, atol=1e-6)
