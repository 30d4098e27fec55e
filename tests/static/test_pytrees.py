"""Nested inputs and outputs (issue 17): tuples, lists, dicts and None in `static.trace`,
`static.function` and `Session` feeds and fetches."""

import numpy as np
import pytest

import static
from static import TensorSpec
from static.errors import FeedError
from static.pytree import flatten, leaf_paths, unflatten

RNG = np.random.default_rng(172)


def arr(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def test_none_is_an_empty_structure_and_namedtuples_come_back():
    from collections import namedtuple

    State = namedtuple("State", "h c")
    leaves = []
    tree = {"a": State(1, None), "b": [2, (3,)], "c": None}
    template = flatten(tree, leaves)
    assert leaves == [1, 2, 3] and leaf_paths(template, "t") == ["t.a.0", "t.b.0", "t.b.1.0"]
    back = unflatten(template, iter("xyz"))
    assert back == {"a": State("x", None), "b": ["y", ("z",)], "c": None}
    assert type(back["a"]) is State


def step(tokens, state, targets=None):
    """An LSTM-like step over a batch: a dict of logits and the new (h, c) state."""
    h, c = state
    h = (h + tokens.sum(dim=-1, keepdim=True)).tanh()
    c = c * 0.5 + h
    logits = h * 2.0
    loss = None if targets is None else ((logits - targets) ** 2).mean()
    return {"logits": logits, "loss": loss}, (h, c)


def numpy_step(tokens, state, targets=None):
    h, c = state
    h = np.tanh(h + tokens.sum(-1, keepdims=True))
    c = c * 0.5 + h
    logits = h * 2.0
    loss = None if targets is None else ((logits - targets) ** 2).mean()
    return {"logits": logits, "loss": loss}, (h, c)


def check(got, want):
    if want is None:
        assert got is None
    elif isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for k in want:
            check(got[k], want[k])
    elif isinstance(want, tuple):
        assert type(got) is tuple and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            check(g, w)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_trace_takes_and_returns_nested_structures_with_none():
    state = (TensorSpec((None, 3)), TensorSpec((None, 3)))
    t = static.trace(step, TensorSpec((None, 5)), state)
    t2 = static.trace(step, TensorSpec((None, 5)), state, targets=TensorSpec((None, 3)))
    assert [n.name for n in t.inputs] == ["tokens", "state.0", "state.1"]
    assert [n.name for n in t2.inputs][-1] == "targets" and len(t.outputs) == 3
    tok, h, c, y = arr(4, 5), arr(4, 3), arr(4, 3), arr(4, 3)
    check(t(tok, (h, c)), numpy_step(tok, (h, c)))
    check(t(tok, h, c), numpy_step(tok, (h, c)))  # one array per input also works
    check(t2(tok, (h, c), targets=y), numpy_step(tok, (h, c), y))
    with pytest.raises(TypeError, match="structure they were traced with"):
        t(tok, [h, c, c])


def test_trace_takes_a_dict_of_specs():
    def f(batch):
        return step(batch["tokens"], batch["state"])

    t = static.trace(f, {"tokens": TensorSpec((None, 5)),
                         "state": (TensorSpec((None, 3)), TensorSpec((None, 3)))})
    assert [n.name for n in t.inputs] == ["batch.tokens", "batch.state.0", "batch.state.1"]
    tok, h, c = arr(2, 5), arr(2, 3), arr(2, 3)
    check(t({"tokens": tok, "state": (h, c)}), numpy_step(tok, (h, c)))


def test_function_traces_structures_with_none_once_per_signature():
    f = static.function(step)
    tok, h, c, y = arr(4, 5), arr(4, 3), arr(4, 3), arr(4, 3)
    check(f(tok, (h, c)), numpy_step(tok, (h, c)))
    check(f(tok, (h, c), targets=y), numpy_step(tok, (h, c), y))
    check(f(tok, (h, c)), numpy_step(tok, (h, c)))
    assert (f.ledger.traces, f.ledger.hits) == (2, 1)
    concrete = f.get_concrete_function(tok, (h, c))
    check(concrete(tok, (h, c)), numpy_step(tok, (h, c)))


def test_session_feeds_and_fetches_nested_structures():
    with static.Graph() as g:
        tok = static.placeholder((None, 5), name="tok")
        h = static.placeholder((None, 3), name="h")
        c = static.placeholder((None, 3), name="c")
        out, state = step(tok, (h, c))
    sess = static.Session(g)
    tv, hv, cv = arr(2, 5), arr(2, 3), arr(2, 3)
    got = sess.run({"out": out, "state": [state, None]}, {tok: tv, (h, c): (hv, cv)})
    want_out, want_state = numpy_step(tv, (hv, cv))
    check(got["out"], want_out)
    assert type(got["state"]) is list and got["state"][1] is None
    check(got["state"][0], want_state)
    check(sess.run(state, {"tok": tv, ("h", "c"): [hv, cv]}), want_state)  # names, a list
    with pytest.raises(FeedError, match=r"structure of 2 placeholders"):
        sess.run(state, {tok: tv, (h, c): hv})
