"""Sizes unknown until run time (issue 17): ``x.size()`` and, in traced code, ``x.shape`` give
`SymbolicSize` values for unknown dims; arithmetic on them stays symbolic, and ``view``,
``reshape``, ``expand``, ``new_zeros`` and a reshape to a shape with None dims (what
``torch.flatten`` computes) run for any batch, in both executors, with every dim known to
the compiled plan."""

import numpy as np
import pytest

import eager
import static
from shared_ops import Aval, ShapeError
from static.compiler.memory_plan import concrete_avals
from static.symbolic_size import Size, SymbolicSize

RNG = np.random.default_rng(170)


def feeds(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def run_both(g, fetches, feed):
    """The fetches' values from the interpreter, checked equal to the compiled executor's."""
    want = static.Session(g, executor="interpret").run(fetches, feed)
    got = static.Session(g).run(fetches, feed)
    for a, b in zip(want, got, strict=True):
        np.testing.assert_array_equal(a, b)
    return want


def test_sizes_are_ints_where_known_and_symbolic_where_not():
    with static.Graph():
        x = static.placeholder((None, 4, 6), name="x")
        size = x.size()
        b = x.size(0)
    assert isinstance(size, Size) and isinstance(size, tuple) and size[1:] == (4, 6)
    assert isinstance(b, SymbolicSize) and x.size(-1) == 6 and type(x.size(1)) is int
    assert repr(size) == "Size([%x.size(0), 4, 6])"
    assert repr(b * 4 + 1) == "%x.size(0) * 4 + 1" and repr(b // 2 * 2) == "%x.size(0) // 2 * 2"
    assert repr(b * (b + 1)) == "%x.size(0) * (%x.size(0) + 1)" and repr(-b) == "-%x.size(0)"
    assert b * 1 is b and b + 0 is b and b * 0 == 0
    # Like the None it stands for: equal to None and other unknown sizes, never to an int.
    assert b == None and b == x.size(0) and b != 3 and x.size() == (None, 4, 6)  # noqa: E711
    assert x.shape == (None, 4, 6) and x.shape[0] is None  # built by hand: TF's static shape
    assert repr(x.numel()) == "%x.size(0) * 4 * 6" and x.size()[1:].numel() == 24


def test_arithmetic_on_sizes_stays_symbolic_and_view_runs_for_any_batch():
    with static.Graph() as g:
        x = static.placeholder((None, 3, 8), name="x")
        B, T, C = x.size()
        merged = x.view(B * T, C)
        heads = x.view(B, T, 2, C // 2).transpose(1, 2)
        back = heads.transpose(1, 2).contiguous().view(B, T, C)
        flat = x.view(x.size(0), -1)
        per_row = x.sum() / x.size(0)  # a size used as a number: a 0-d graph value
    assert merged.aval.shape == (None, 8) and flat.aval.shape == (None, 24)
    assert heads.aval.shape == (None, 2, 3, 4)
    for n in (2, 5):
        xv = feeds(n, 3, 8)
        m, h, b, f, p = run_both(g, [merged, heads, back, flat, per_row], {x: xv})
        np.testing.assert_array_equal(m, xv.reshape(n * 3, 8))
        np.testing.assert_array_equal(h, xv.reshape(n, 3, 2, 4).transpose(0, 2, 1, 3))
        np.testing.assert_array_equal(b, xv)
        np.testing.assert_array_equal(f, xv.reshape(n, 24))
        np.testing.assert_allclose(p, xv.sum() / n, rtol=1e-6)


def test_the_compiled_plan_knows_every_dim_of_a_runtime_reshape():
    with static.Graph() as g:
        x = static.placeholder((None, 6), name="x")
        y = static.placeholder((None, 2), name="y")
        r = x.view(y.size(0), 3, -1)  # a size of another value
    avals = concrete_avals(g.nodes, {x: Aval((4, 6), x.dtype), y: Aval((4, 2), y.dtype)})
    assert r.aval.shape == (None, 3, None) and avals[r].shape == (4, 3, 2)


def test_shape_is_symbolic_in_traced_user_code():
    seen = []

    def f(x):
        B, C = x.shape
        seen.append((B, C, x.shape[0] == None))  # noqa: E711
        return x.view(B * C)

    t = static.trace(f, static.TensorSpec((None, 3)))
    (B, C, none_like), = seen
    assert isinstance(B, SymbolicSize) and C == 3 and none_like
    np.testing.assert_array_equal(t(np.ones((4, 3), np.float32)), np.ones(12))


def test_a_reshape_to_unknown_dims_takes_them_from_the_input():
    with static.Graph() as g:
        x = static.placeholder((None, 4, 3), name="x")
        flat = eager.flatten(x, 1)  # torch.flatten computes (None, 12) from x.shape
        again = static.reshape(flat, shape=(None, 4, 3))
        one = static.reshape(x, shape=(2, None))  # a single None: inferred, as -1
        wide = static.broadcast_to(static.placeholder((None, 1), name="c"), shape=(None, 5))
    assert flat.op == "reshape_dims" and flat.aval.shape == (None, 12)
    assert again.aval.shape == (None, 4, 3) and one.op == "reshape"
    c = g["c"]
    f, a, o, w = run_both(g, [flat, again, one, wide], {x: feeds(6, 4, 3), c: feeds(6, 1)})
    assert f.shape == (6, 12) and a.shape == (6, 4, 3) and o.shape == (2, 36)
    assert w.shape == (6, 5)
    with static.Graph(), pytest.raises(ShapeError, match=r"reshape.*\(\?, \?, 2\).*pass -1"):
        static.reshape(static.placeholder((None, 4), name="z"), shape=(None, None, 2))


def test_sizes_build_new_values_and_expansions():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        cls = static.constant(np.arange(3, dtype=np.float32).reshape(1, 1, 3))
        tokens = cls.expand(x.size(0), -1, -1)
        zeros = x.new_zeros(x.size(0), 2, dtype=np.int64)
        ones = x.new_ones((2, 2))
        full = x.new_full(x.size(), 7.0)
    assert tokens.aval.shape == (None, 1, 3) and zeros.aval.dtype == np.int64
    t, z, o, f = run_both(g, [tokens, zeros, ones, full], {x: feeds(4, 3)})
    np.testing.assert_array_equal(t, np.broadcast_to(np.arange(3.0), (4, 1, 3)))
    assert z.shape == (4, 2) and not z.any() and o.shape == (2, 2) and (f == 7).all()


def test_a_size_is_never_a_python_int_and_says_why():
    with static.Graph():
        b = static.placeholder((None, 3), name="x").size(0)
        with pytest.raises(TypeError, match=r"%x.size\(0\): the size is unknown until the graph "
                                            r"runs at .*test_symbolic_sizes.py"):
            range(b)
        with pytest.raises(TypeError, match="int()"):
            int(b)
        with pytest.raises(TypeError, match="truth value"):
            bool(b)
        assert (b > 2).aval.dtype == np.bool_  # comparisons stage
    with pytest.raises(TypeError, match="size 0 is None.*x.size"), static.Graph():
        static.placeholder((None, 3), name="x").view(None, 3)


def test_gradients_flow_through_runtime_reshapes_and_broadcasts():
    with static.Graph() as g:
        x = static.placeholder((None, 6), name="x")
        w = static.variable(np.arange(3, dtype=np.float32).reshape(1, 3), name="w")
        y = (x.view(x.size(0), 2, 3) * w.expand(x.size(0), 3).unsqueeze(1)).sum()
        gx, gw = static.gradients(y, [x, w])
    xv = feeds(4, 6)
    got_x, got_w = run_both(g, [gx, gw], {x: xv})
    np.testing.assert_allclose(got_x, np.tile(np.arange(3.0), (4, 2)))
    np.testing.assert_allclose(got_w, xv.reshape(4, 2, 3).sum((0, 1))[None], rtol=1e-5)


def test_a_graph_with_runtime_shapes_saves_and_loads(tmp_path):
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = x.view(x.size(0) * 2, -1).expand(2, x.size(0) * 2, 2)
    static.save(g, tmp_path / "g")
    g2 = static.load(tmp_path / "g")
    xv = feeds(3, 4)
    np.testing.assert_array_equal(static.Session(g2).run(g2[y.name], {"x": xv}),
                                  np.broadcast_to(xv.reshape(6, 2), (2, 6, 2)))
