"""Hostile feeds to a static Session and a compiled step: each is refused with a clear error
(type and message pinned) or, where it is legitimate input, computed correctly."""

from __future__ import annotations

import numpy as np
import pytest

import static
from shared_ops import limits
from shared_ops.limits import SizeLimitError
from static.compiler import compile as compile_graph

RNG = np.random.default_rng(0)


@pytest.fixture
def net():
    """y = x @ w; z = log(y): NaN for negative rows."""
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="w")
        y = static.matmul(x, w)
        z = static.log(y)
    return g, x, w, y, z


@pytest.mark.parametrize("value, dtype_text", [
    (np.array([[1, 2, 3]], dtype=object), "object"),
    (np.array([["1", "2", "3"]]), "<U1"),
    (np.array([[1j, 2, 3]]), "complex128"),
    (np.array([[b"a", b"b", b"c"]]), "|S1"),
])
def test_wrong_dtype_feeds_are_refused_naming_the_placeholder(net, value, dtype_text):
    g, x, _, y, _ = net
    with pytest.raises(static.FeedError, match=rf"placeholder %x \(f32\[\?,3\].*was fed dtype "
                                               rf"{dtype_text}") as info:
        static.Session(g).run(y, {x: value})
    assert "test_hostile_feeds.py" in str(info.value)  # the user's line
    with pytest.raises(static.FeedError, match=rf"placeholder %x .*was fed dtype {dtype_text}"):
        compile_graph(g, [y], [x])(value)


def test_non_contiguous_and_read_only_feeds_compute_the_same(net):
    g, x, w, y, _ = net
    base = RNG.standard_normal((4, 6)).astype(np.float32)
    strided = base[:, ::2]                       # non-contiguous view
    transposed = np.asfortranarray(base[:, :3])  # Fortran order
    frozen = base[:, :3].copy()
    frozen.setflags(write=False)
    step = compile_graph(g, [y], [x])
    sess = static.Session(g)
    for feed in (strided, transposed, frozen):
        want = feed.astype(np.float64) @ w.value.astype(np.float64)
        np.testing.assert_allclose(sess.run(y, {x: feed}), want, rtol=1e-5)
        np.testing.assert_allclose(step(feed)[0], want, rtol=1e-5)
    assert not frozen.flags.writeable and np.array_equal(frozen, base[:, :3])  # untouched


def test_zero_size_batch_runs_and_keeps_the_shape(net):
    g, x, _, y, z = net
    empty = np.zeros((0, 3), np.float32)
    out, logs = static.Session(g).run([y, z], {x: empty})
    assert out.shape == (0, 2) and logs.shape == (0, 2)
    assert compile_graph(g, [y], [x])(empty)[0].shape == (0, 2)


def test_zero_size_batch_gradient_is_zero_not_nan():
    torch = pytest.importorskip("torch")
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="w")
        loss = static.sum(static.matmul(x, w))
        (gw,) = static.gradients(loss, [w])
    value, grad = static.Session(g).run([loss, gw], {x: np.zeros((0, 3), np.float32)})
    tw = torch.ones(3, 2, requires_grad=True)
    (torch.zeros(0, 3) @ tw).sum().backward()
    assert float(value) == 0.0
    np.testing.assert_array_equal(grad, tw.grad.numpy())


def test_scalar_and_one_element_feeds_are_told_apart():
    with static.Graph() as g:
        s = static.placeholder((), name="s")
        v = static.placeholder((1,), name="v")
        out = s * v
    sess = static.Session(g)
    assert sess.run(out, {s: 2.0, v: np.array([3.0], np.float32)}).shape == (1,)
    assert sess.run(out, {s: np.float32(2.0), v: [3.0]}).tolist() == [6.0]
    with pytest.raises(static.FeedError, match=r"placeholder %s expects shape \(\) .*but was fed "
                                               r"shape \(1,\)"):
        sess.run(out, {s: np.array([2.0], np.float32), v: [3.0]})
    with pytest.raises(static.FeedError, match=r"placeholder %v expects shape \(1,\) .*but was "
                                               r"fed shape \(\)"):
        sess.run(out, {s: 2.0, v: 3.0})


def test_feeding_a_node_that_is_not_a_placeholder_is_refused(net):
    g, x, w, y, _ = net
    sess = static.Session(g)
    with pytest.raises(static.FeedError, match=r"cannot feed %w: it is a variable, not a "
                                               r"placeholder .*only placeholders take feeds"):
        sess.run(y, {x: np.ones((1, 3), np.float32), w: np.zeros((3, 2), np.float32)})
    with pytest.raises(static.FeedError, match=r"cannot feed %matmul: it is a matmul"):
        sess.run(y, {x: np.ones((1, 3), np.float32), y: np.zeros((1, 2), np.float32)})
    np.testing.assert_array_equal(w.value, np.ones((3, 2), np.float32))


@pytest.mark.parametrize("key", ["w", "nope"])
def test_compiled_run_refuses_feeds_that_are_not_its_placeholders(net, key):
    g, x, w, y, _ = net
    step = compile_graph(g, [y], [x])
    target = w if key == "w" else key
    with pytest.raises(static.FeedError, match=rf"cannot feed .*{key}"):
        step.run({x: np.ones((1, 3), np.float32), target: np.zeros((3, 2), np.float32)})


# -- huge shapes: refused before anything is allocated -----------------------------------------

def test_huge_feed_is_refused_before_it_is_copied(net):
    g, x, _, y, _ = net
    huge = np.broadcast_to(np.float64(0), (10**9, 3))  # a free view; a cast would copy it
    with pytest.raises(SizeLimitError, match=r"Session.run: the value fed to placeholder %x, "
                                             r"f64\[1000000000,3\] would have 3000000000 "
                                             r"elements .*over the limit of 2147483648"):
        static.Session(g).run(y, {x: huge})


def test_limit_is_adjustable_and_documented(net):
    g, x, _, y, _ = net
    with limits.max_elements(10):
        with pytest.raises(SizeLimitError, match="shared_ops.limits.MAX_ELEMENTS"):
            static.Session(g).run(y, {x: np.ones((4, 3), np.float32)})
        assert static.Session(g).run(y, {x: np.ones((3, 3), np.float32)}).shape == (3, 2)
    assert limits.MAX_ELEMENTS == 2**31
    assert issubclass(SizeLimitError, MemoryError)


def test_compiled_step_refuses_a_feed_over_the_limit(net):
    g, x, _, y, _ = net
    step = compile_graph(g, [y], [x])
    with limits.max_elements(10), pytest.raises(SizeLimitError, match="placeholder %x"):
        step(np.ones((4, 3), np.float32))


def test_huge_op_output_is_an_error_at_build_time():
    with static.Graph() as g:
        a = static.placeholder((10**6, 1), name="a")
        b = static.placeholder((1, 10**7), name="b")
        with pytest.raises(SizeLimitError, match=r"add: output f32\[1000000,10000000\] would "
                                                 r"have 10000000000000 elements") as info:
            static.add(a, b)
    assert "test_hostile_feeds.py" in str(info.value)
    assert len(g.nodes) == 2  # nothing half-built


# -- NaN / Inf: the opt-in check names the first node that made them ---------------------------

def test_check_numerics_names_the_first_node_producing_nan(net):
    g, x, _, _, z = net
    with static.Graph() as g2:
        x2 = static.placeholder((None, 3), name="x")
        w2 = static.variable(np.ones((3, 2), np.float32), name="w")
        z2 = static.exp(static.log(static.matmul(x2, w2)))
    bad = -np.ones((1, 3), np.float32)
    # Off by default: IEEE NaN. (On the interpreter: the compiler's fast-math simplification
    # rewrites exp(log(x)) to x, documented in simplify_rules.py.)
    assert np.isnan(static.Session(g2, executor="interpret").run(z2, {x2: bad})).all()
    with pytest.raises(static.NumericsError, match=r"node %log: f32\[\?,2\] = log\(%matmul\) "
                                                   r"produced 2 NaN from finite inputs") as info:
        static.Session(g2, check_numerics=True).run(z2, {x2: bad})
    assert isinstance(info.value, FloatingPointError)
    assert "test_hostile_feeds.py" in str(info.value)  # where %log was built
    ok = static.Session(g, check_numerics=True).run(z, {x: np.ones((2, 3), np.float32)})
    np.testing.assert_allclose(ok, np.log(3.0), rtol=1e-6)


@pytest.mark.parametrize("poison, found", [(np.nan, "1 NaN"), (np.inf, "1 Inf")])
def test_check_numerics_blames_a_poisoned_feed(net, poison, found):
    g, x, w, y, _ = net
    feed = np.ones((2, 3), np.float32)
    feed[1, 2] = poison
    with pytest.raises(static.NumericsError, match=rf"the value fed to placeholder %x holds "
                                                   rf"{found} \(of 6 values\)"):
        static.Session(g, check_numerics=True).run(y, {x: feed})


def test_check_numerics_failure_leaves_variables_unchanged():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        w = static.variable(np.array([[1.0], [2.0]], np.float32), name="w")
        loss = static.sum(static.sqrt(static.matmul(x, w)))
        train = static.optim.SGD(0.1).minimize(loss)
    before = w.value.copy()
    sess = static.Session(g, check_numerics=True)
    with pytest.raises(static.NumericsError, match="sqrt"):
        sess.run(train, {x: np.array([[-5.0, 1.0]], np.float32)})
    np.testing.assert_array_equal(w.value, before)
    sess.run(train, {x: np.array([[1.0, 1.0]], np.float32)})
    assert not np.array_equal(w.value, before)
