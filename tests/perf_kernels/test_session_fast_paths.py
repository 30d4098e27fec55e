"""Session.run's cheap paths (fetches resolved once per list, feeds that passed the whole check
passing again on three comparisons, no stack walk unless an error is raised) and
``Session.make_callable``: the same results as ``run``, and every bad feed still caught with
the caller's file:line."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import shared_ops as ops
import static

sys.path.append(os.path.join(os.path.dirname(__file__), "..", "static"))  # caller_line
from caller_line import here  # noqa: E402

HERE = "test_session_fast_paths.py"


@pytest.fixture
def model():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = static.placeholder((None, 1), name="y")
        w = static.variable(np.full((3, 1), 0.5, np.float32), name="w")
        loss = ops.mean((x @ w - y) ** 2)
        train = static.optim.SGD(0.1).minimize(loss)
    return g, x, y, w, loss, train


def _batch(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, 3)).astype(np.float32),
            rng.standard_normal((n, 1)).astype(np.float32))


def test_make_callable_matches_run_step_for_step(model):
    g, x, y, w, loss, train = model
    sess = static.Session(g)
    xb, yb = _batch()
    w0 = w.value.copy()
    by_run = [sess.run([loss, train], {x: xb, y: yb})[0] for _ in range(3)]
    w.value[...] = w0
    step = sess.make_callable([loss, train], [x, y])
    by_callable = [step(xb, yb) for _ in range(3)]
    assert [v[1] for v in by_callable] == [None] * 3  # the train op fetches None
    np.testing.assert_array_equal(by_run, [v[0] for v in by_callable])
    assert by_run[0] > by_run[2]  # it trained


def test_make_callable_takes_names_and_nested_fetches(model):
    g, x, y, w, loss, _ = model
    step = static.Session(g).make_callable({"loss": loss, "w": ["w"]}, ["x", "y"])
    out = step(*_batch())
    assert set(out) == {"loss", "w"} and np.array_equal(out["w"][0], w.value)


def test_make_callable_errors_name_the_callers_line(model):
    g, x, y, _, loss, _ = model
    sess = static.Session(g)
    with pytest.raises(static.FeedError) as info:
        line = here() + 1
        sess.make_callable(loss, [x])  # %y is needed and not in feed_list
    assert "placeholder %y" in str(info.value) and f"{HERE}:{line}" in str(info.value)
    step = sess.make_callable(loss, [x, y])
    with pytest.raises(static.FeedError) as info:
        line = here() + 1
        step(np.ones((2, 3), np.float32))
    assert "takes 2 feed values (%x, %y), got 1" in str(info.value)
    assert f"{HERE}:{line}" in str(info.value)
    with pytest.raises(static.FeedError) as info:
        line = here() + 1
        step(np.ones((2, 4), np.float32), np.ones((2, 1), np.float32))
    assert "%x expects shape (?, 3)" in str(info.value) and f"{HERE}:{line}" in str(info.value)
    with pytest.raises(static.FeedError, match="names a placeholder twice"):
        sess.make_callable(loss, [x, "x", y])
    with pytest.raises(static.FeedError, match="cannot feed %w"):
        sess.make_callable(loss, [x, "w"])


@pytest.mark.parametrize("bad, match", [
    (np.ones((2, 4), np.float32), r"%x expects shape \(\?, 3\)"),
    (np.ones((2, 3), np.complex64), "was fed dtype complex64"),
    (np.ones((3,), np.float32), r"fed shape \(3,\)"),
], ids=["shape", "dtype", "rank"])
def test_a_bad_feed_after_good_ones_is_still_caught(model, bad, match):
    """The memo of accepted feeds never lets a different shape or dtype through."""
    g, x, y, _, loss, _ = model
    sess = static.Session(g)
    xb, yb = _batch()
    for _ in range(3):
        sess.run(loss, {x: xb, y: yb})
    with pytest.raises(static.FeedError, match=match) as info:
        line = here() + 1
        sess.run(loss, {x: bad, y: yb})
    assert f"{HERE}:{line}" in str(info.value)


def test_feeds_that_need_a_cast_or_copy_are_converted_every_time(model):
    g, x, y, _, loss, _ = model
    sess = static.Session(g)
    xb, yb = _batch()
    expected = sess.run(loss, {x: xb, y: yb})
    for _ in range(2):  # float64 and lists are cast on every call, never remembered as good
        assert sess.run(loss, {x: xb.astype(np.float64), y: yb.tolist()}) == \
            pytest.approx(expected, rel=1e-6)
    step = sess.make_callable(loss, [x, y])
    assert step(xb.astype(np.float64), yb) == pytest.approx(expected, rel=1e-6)


def test_an_edited_placeholder_aval_is_checked_again(model):
    """A placeholder's aval replaced after a run: the memo's entry no longer applies."""
    g, x, y, _, loss, _ = model
    sess = static.Session(g, executor="interpret")
    xb, yb = _batch()
    sess.run(loss, {x: xb, y: yb})
    x.aval = x.aval._replace(shape=(None, 5))
    with pytest.raises(static.FeedError, match=r"%x expects shape \(\?, 5\)"):
        sess.run(loss, {x: xb, y: yb})


def test_fetch_list_cache_follows_graph_edits(model):
    g, x, y, w, loss, _ = model
    sess = static.Session(g)
    xb, yb = _batch()
    step = sess.make_callable(loss, [x, y])
    step(xb, yb)
    with g:
        z = static.placeholder((None, 1), name="z")
    assert sess.run(loss, {x: xb, y: yb}) == pytest.approx(step(xb, yb))
    assert sess.run(["w"])[0].shape == (3, 1) and z.name == "z"
