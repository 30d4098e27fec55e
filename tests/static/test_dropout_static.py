"""Dropout traced into a static graph: a fresh mask every step, reproducible from a seed.

A training-mode ``nn.Dropout`` traced into a graph draws its seed from the graph's generator
state (``static/rng.py``), which every step advances: two steps drop different elements, the
same seed replays the same sequence (in this process or another), the interpreter and the
compiled executor agree, ``static.save``/``load`` keep the state, and an eval-mode trace has
no random op at all.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import shared_ops as ops
import static
from static.trace_cache import function
from static.tracing import TensorSpec, trace

eager = pytest.importorskip("eager")
nn = pytest.importorskip("eager.nn")
F = pytest.importorskip("eager.nn.functional")

P, N = 0.5, 64
RANDOM_OPS = {"fold_seed", "dropout_mask"}


class Net(nn.Module):
    """Dropout on the input, then a linear layer; returns both, so a test sees the mask."""

    def __init__(self, p=P):
        super().__init__()
        self.drop = nn.Dropout(p)
        self.fc = nn.Linear(N, 1)

    def forward(self, x):
        h = self.drop(x)
        return h, self.fc(h)


def make_net(p=P):
    eager.manual_seed(0)
    return Net(p).double()


def training_step(model):
    """A traced SGD step (static.function) returning the dropout output and the loss."""

    @function
    def step(x, y):
        h, out = trace(model, x)
        loss = ops.mean(ops.mul(ops.sub(out, y), ops.sub(out, y)))
        static.optim.SGD(lr=0.1).minimize(loss)
        return h, loss

    return step


def ones(rows=4):
    return np.ones((rows, N)), np.zeros((rows, 1))


def masks(step, n):
    return [np.asarray(step(*ones())[0]) for _ in range(n)]


# --- fresh masks, reproducible ------------------------------------------------------------------
def test_two_steps_of_a_traced_training_step_draw_different_masks():
    static.manual_seed(0)
    step = training_step(make_net())
    a, b = masks(step, 2)
    assert not np.array_equal(a, b)
    for m in (a, b):  # each a proper inverted-dropout mask of the ones fed in
        assert set(np.unique(m)) <= {0.0, 1.0 / (1.0 - P)}
    assert step.ledger.traces == 1  # one graph, whose state moves: no retrace per step
    graph = step.get_concrete_function(*ones()).graph
    assert static.rng_state(graph).value[1] == 2  # two steps drew


def test_the_mask_sequence_is_reproducible_from_the_seed():
    static.manual_seed(123)
    first = masks(training_step(make_net()), 3)
    static.manual_seed(123)
    again = masks(training_step(make_net()), 3)
    static.manual_seed(124)
    other = masks(training_step(make_net()), 3)
    for a, b, c in zip(first, again, other, strict=True):
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)


def test_a_graphs_own_seed_restarts_its_sequence():
    t = trace(Net().double(), TensorSpec((4, N), np.float64))
    static.manual_seed(7, t)
    first = [t(ones()[0])[0] for _ in range(3)]
    static.manual_seed(7, t)
    again = [t(ones()[0])[0] for _ in range(3)]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])


_CHILD = textwrap.dedent("""
    import numpy as np, eager, static
    from eager import nn
    static.manual_seed(99)
    t = static.trace(nn.Dropout(0.5), static.TensorSpec((3, 5)))
    x = np.ones((3, 5), np.float32)
    print([t(x).tolist() for _ in range(3)])
""")


def test_the_same_seed_gives_the_same_masks_in_another_process():
    def run():
        return subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                              check=True, timeout=60).stdout

    static.manual_seed(99)
    t = trace(nn.Dropout(0.5), TensorSpec((3, 5)))
    x = np.ones((3, 5), np.float32)
    here = str([t(x).tolist() for _ in range(3)]) + "\n"
    assert run() == here
    assert len(set(here.split("]], [["))) == 3  # three different masks


def test_two_dropout_sites_in_one_step_draw_different_masks():
    drop = nn.Dropout(P)
    t = trace(lambda x: (drop(x), drop(x)), TensorSpec((8, N), np.float64))
    a, b = t(np.ones((8, N)))
    assert not np.array_equal(a, b)
    keys = [n.attrs["key"] for n in t.graph.nodes if n.op == "fold_seed"]
    assert keys == [0, 1]


# --- executors ------------------------------------------------------------------------------------
def _run_steps(graph, fetches, feeds, runner, n):
    """Restart the graph's generator, then ``n`` steps of ``runner``; the fetched values."""
    static.manual_seed(5, graph)
    return [runner(fetches, feeds) for _ in range(n)]


@pytest.mark.parametrize("passes", [None, {"cse": False}])
def test_interpreter_and_compiled_executor_draw_the_same_masks(passes):
    model = make_net()
    with static.Graph() as g:
        x = static.placeholder((None, N), np.float64, name="x")
        h, out = trace(model, x)
        loss = ops.mean(ops.mul(out, out))
        grads = static.gradients(loss, g.variables(trainable=True))
    fetches, feeds = [h, loss, *grads], {x: np.ones((4, N))}
    snapshot = {v: v.value.copy() for v in g.variables()}
    interpreted = _run_steps(g, fetches, feeds,
                             static.Session(g, executor="interpret").run, 3)
    step = static.compile(g, fetches, [x], passes=passes)
    compiled = _run_steps(g, fetches, feeds, lambda f, d: step.run(d), 3)
    session = _run_steps(g, fetches, feeds, static.Session(g).run, 3)
    for k in range(3):
        for a, b, c in zip(interpreted[k], compiled[k], session[k], strict=True):
            np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)
            np.testing.assert_allclose(c, a, rtol=0, atol=1e-12)
    assert not np.array_equal(interpreted[0][0], interpreted[1][0])
    for v, value in snapshot.items():  # no train op: only the generator moved
        if v.name != "rng_state":
            np.testing.assert_array_equal(v.value, value)


def test_a_step_that_fetches_only_the_loss_still_advances():
    # The harness's way: explicit fetches (no effects), compiled; the seed reads the advance.
    model = make_net()
    with static.Graph() as g:
        x = static.placeholder((None, N), np.float64, name="x")
        h, _ = trace(model, x)
    step = static.compile(g, [h], [x])
    a, b = step(np.ones((2, N)))[0], step(np.ones((2, N)))[0]
    assert not np.array_equal(a, b)


# --- what the mask does ---------------------------------------------------------------------------
def test_gradients_flow_only_through_the_kept_elements():
    with static.Graph() as g:
        x = static.placeholder((None, N), np.float64, name="x")
        w = static.variable(np.full(N, 2.0), name="w")
        h = F.dropout(ops.mul(x, w), P, training=True)
        (gw,) = static.gradients(ops.sum(h), [w])
    xs = np.ones((1, N))
    for _ in range(3):
        hv, gv = static.Session(g).run([h, gw], {x: xs})
        kept = hv[0] != 0
        assert 0 < kept.sum() < N
        np.testing.assert_array_equal(gv[~kept], 0.0)
        np.testing.assert_allclose(gv[kept], 1.0 / (1.0 - P))
        np.testing.assert_allclose(hv[0][kept], 2.0 / (1.0 - P))


@pytest.mark.parametrize("p", [0.1, 0.3, 0.7])
def test_the_drop_rate_is_about_p_and_survivors_are_rescaled(p):
    static.manual_seed(3)
    t = trace(nn.Dropout(p), TensorSpec((200, 100)))
    out = t(np.ones((200, 100), np.float32))
    dropped = float((out == 0).mean())
    assert abs(dropped - p) < 0.02  # 20,000 draws: the standard error is ~0.003
    np.testing.assert_allclose(out[out != 0], np.float32(1.0 / (1.0 - p)))


# --- save and load --------------------------------------------------------------------------------
def test_a_saved_and_loaded_graph_goes_on_advancing(tmp_path):
    t = trace(Net().double(), TensorSpec((4, N), np.float64))
    static.manual_seed(11, t)
    x = ones()[0]
    t(x), t(x)
    static.save(t, tmp_path / "g")
    expected = [t(x)[0] for _ in range(2)]  # steps 3 and 4 of the original
    loaded = static.load(tmp_path / "g")
    assert static.rng_state(loaded).value.tolist() == [11, 2]
    got = [loaded(x)[0] for _ in range(2)]
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_array_equal(a, b)
    assert static.rng_state(loaded).value.tolist() == [11, 4]


# --- eval mode and other entry points -------------------------------------------------------------
def test_an_eval_mode_trace_is_the_identity_with_no_random_op():
    model = Net().double().eval()
    t = trace(model, TensorSpec((4, N), np.float64))
    assert not RANDOM_OPS & {n.op for n in t.graph.nodes}
    assert static.rng_state(t) is None and t.effects == ()
    x = np.random.default_rng(0).standard_normal((4, N))
    np.testing.assert_array_equal(t(x)[0], x)
    f = trace(lambda v: F.dropout(v, 0.5, training=False), TensorSpec((4, N), np.float64))
    assert [n.op for n in f.graph.nodes] == ["placeholder"]


def test_tf1_style_dropout_without_a_seed_draws_per_run():
    with static.Graph() as g:
        x = static.placeholder((None, 16), name="x")
        y = static.dropout(x, p=0.5)
    sess = static.Session(g)
    feed = {x: np.ones((4, 16), np.float32)}
    assert not np.array_equal(sess.run(y, feed), sess.run(y, feed))


def test_a_fixed_seed_still_gives_a_fixed_mask():
    with static.Graph() as g:
        x = static.placeholder((None, 16), name="x")
        y = static.dropout(x, 42, p=0.5)
    sess = static.Session(g)
    feed = {x: np.ones((4, 16), np.float32)}
    np.testing.assert_array_equal(sess.run(y, feed), sess.run(y, feed))
    np.testing.assert_array_equal(sess.run(y, feed), ops.dropout(feed[x], 42, p=0.5))
    assert static.rng_state(g) is None


def test_eager_dropout_still_draws_from_eagers_global_generator():
    x = eager.tensor(np.ones((4, 16), np.float32))
    eager.manual_seed(1)
    a, b = F.dropout(x, 0.5).numpy(), ops.dropout(x, p=0.5).numpy()  # no seed: eager's source
    eager.manual_seed(1)
    np.testing.assert_array_equal(F.dropout(x, 0.5).numpy(), a)
    np.testing.assert_array_equal(ops.dropout(x, p=0.5).numpy(), b)
    assert not np.array_equal(a, b)
    with pytest.raises(ops.OpValueError, match="pass an integer seed"):
        ops.dropout(np.ones(3), p=0.5)


def test_fold_seed_is_a_pure_hash_of_state_and_key():
    s = np.array([3, 9], np.int64)
    seeds = {int(ops.fold_seed(s, key=k)) for k in range(50)}
    assert len(seeds) == 50 and all(0 <= v < 2**63 for v in seeds)
    assert int(ops.fold_seed(s, key=4)) == int(ops.fold_seed(s.copy(), key=4))
    with pytest.raises(ops.DTypeError, match="fold_seed: state must hold integers"):
        ops.fold_seed(np.zeros(2), key=0)


# --- control flow ---------------------------------------------------------------------------------
def test_dropout_in_a_scan_body_draws_one_mask_per_step():
    with static.Graph() as g:
        xs = static.placeholder((3, 8), name="xs")

        def body(carry, x):
            h = F.dropout(x, P)
            return ops.add(carry, h), h

        _, hs = static.scan(body, static.constant(np.zeros(8, np.float32)), xs)
    feed = {xs: np.ones((3, 8), np.float32)}
    assert static.rng_state(g) is not None  # the state lives in the outer graph
    runs = {}
    for name, run in (("interpret", static.Session(g, executor="interpret").run),
                      ("compiled", static.Session(g).run)):
        static.manual_seed(2, g)
        runs[name] = [run(hs, feed) for _ in range(2)]
    for a, b in zip(runs["interpret"], runs["compiled"], strict=True):
        np.testing.assert_array_equal(a, b)
    first, second = runs["interpret"]
    assert (first == first[0]).all()  # every iteration of one step shares the mask
    assert not np.array_equal(first, second)


def test_a_traced_gru_with_dropout_between_layers_draws_per_step():
    eager.manual_seed(0)
    gru = nn.GRU(3, 5, num_layers=2, dropout=0.5, batch_first=True)
    t = trace(gru, TensorSpec((2, 4, 3)))
    x = np.ones((2, 4, 3), np.float32)
    assert not np.array_equal(t(x)[0], t(x)[0])
    assert not RANDOM_OPS & {n.op for n in trace(gru.eval(), TensorSpec((2, 4, 3))).graph.nodes}
