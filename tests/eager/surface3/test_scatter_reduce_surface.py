"""scatter_reduce, index_reduce, index_copy and put as Tensor methods, in-place methods and
torch functions, against torch: values, in-place semantics (same tensor, version bumped, a
leaf requiring grad refused, gradients through a recorded tensor), torch's exception types
and messages; and the same methods staged on a static graph."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import eager
import static

torch = pytest.importorskip("torch")

X = [[1.0, -2.0, 3.0, 0.5], [4.0, 0.0, -1.0, 2.0], [0.25, 5.0, 1.5, -3.0]]
IDX = [[0, 0, 3], [1, 1, 1], [2, 0, 2]]
SRC = [[2.0, -1.0, 0.5], [3.0, 3.0, 0.0], [1.0, 7.0, -2.0]]


def _quiet(fn):
    with warnings.catch_warnings():  # torch's "index_reduce() is in beta"
        warnings.simplefilter("ignore", UserWarning)
        return fn()


IN_PLACE = {
    "scatter_reduce_": lambda L, x: x.scatter_reduce_(1, L.tensor(IDX), L.tensor(SRC), "mean",
                                                      include_self=False),
    "index_reduce_": lambda L, x: x.index_reduce_(0, L.tensor([2, 2]), L.ones(2, 4) * 3,
                                                  "amax"),
    "index_copy_": lambda L, x: x.index_copy_(1, L.tensor([3, 0]), L.zeros(3, 2)),
    "put_": lambda L, x: x.put_(L.tensor([-1, 0, 0]), L.tensor([9.0, 1.0, 2.0]),
                                accumulate=True),
}


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_forms_write_into_the_tensor(name):
    def run(L):
        x = L.tensor(X)
        out = _quiet(lambda: IN_PLACE[name](L, x))
        assert out is x
        return x.tolist(), x._version

    assert run(eager) == run(torch)


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_forms_refuse_a_leaf_and_rebase_a_recorded_tensor(name):
    def run(L):
        leaf = L.tensor(X, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            _quiet(lambda: IN_PLACE[name](L, leaf))
        y = leaf * 2
        _quiet(lambda: IN_PLACE[name](L, y))
        (y * L.arange(12.0).reshape(3, 4)).sum().backward()
        return leaf.grad.tolist(), type(y.grad_fn).__name__

    assert run(eager) == run(torch)


FUNCTIONS = [
    lambda L: L.scatter_reduce(L.tensor(X), 1, L.tensor(IDX), L.tensor(SRC), reduce="prod"),
    lambda L: L.scatter_reduce(L.tensor(X), -1, L.tensor(IDX), L.tensor(SRC), "amin",
                               include_self=False),
    lambda L: L.index_reduce(L.tensor(X), 1, L.tensor([0, 0]), L.ones(3, 2), "mean"),
    lambda L: L.index_copy(L.tensor(X), 0, L.tensor(1), L.zeros(1, 4)),
    lambda L: L.put(L.tensor(X), L.tensor([[11, 1]]), L.tensor([[7.0, 8.0]])),
    lambda L: L.tensor([1, 5, 3]).scatter_reduce(0, L.tensor([0, 0, 1]), L.tensor([-2, 3, 7]),
                                                 "mean"),
    lambda L: L.tensor([True, False]).scatter_reduce(0, L.tensor([0, 1]),
                                                     L.tensor([True, True]), "sum"),
    lambda L: L.tensor(X).scatter_reduce(1, L.tensor(IDX), L.tensor(SRC), "max"),  # = amax
    lambda L: L.tensor(X).scatter_reduce(1, L.tensor(IDX), L.tensor(SRC), "min"),
]


@pytest.mark.parametrize("i", range(len(FUNCTIONS)))
def test_functions_match_torch(i):
    ours, theirs = _quiet(lambda: FUNCTIONS[i](eager)), _quiet(lambda: FUNCTIONS[i](torch))
    assert (ours.tolist(), str(ours.dtype)) == (theirs.tolist(), str(theirs.dtype))


def test_index_reduce_warns_as_torch():
    with pytest.warns(UserWarning, match=r"index_reduce\(\) is in beta"):
        eager.ones(2).index_reduce(0, eager.tensor([0]), eager.ones(1), "prod")


ERRORS = {  # each: (call, whether eager's message contains torch's)
    "reduce-name": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0]), L.ones(1), "add"),
                    True),
    "src-dtype": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0]), L.ones(1).long(),
                                                      "sum"), False),
    "index-dtype": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0.0]), L.ones(1), "sum"),
                    True),
    "index-rank": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([[0]]), L.ones(1), "sum"),
                   False),
    "index-larger-than-src": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 1, 1]),
                                                                  L.ones(2), "sum"), True),
    "bool-mean": (lambda L: L.tensor([True]).scatter_reduce(0, L.tensor([0]),
                                                            L.tensor([True]), "mean"), False),
    "src-number": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0]), 1.0, "sum"), True),
    "index_reduce-sum": (lambda L: L.zeros(2, 3).index_reduce(0, L.tensor([0]),
                                                              L.ones(1, 3), "sum"), True),
    "index_reduce-matrix-index": (lambda L: L.zeros(2, 3).index_reduce(
        0, L.tensor([[0]]), L.ones(1, 3), "prod"), False),
    "index_reduce-count": (lambda L: L.zeros(2, 3).index_reduce(0, L.tensor([0, 1, 1]),
                                                                L.ones(2, 3), "prod"), False),
    "index_copy-int32": (lambda L: L.zeros(2, 3).index_copy(0, L.tensor([1]).int(),
                                                            L.ones(1, 3)), True),
    "index_copy-slices": (lambda L: L.zeros(2, 3).index_copy(0, L.tensor([1]), L.ones(1, 4)),
                          False),
    "put-numel": (lambda L: L.zeros(2, 3).put(L.tensor([1, 2]), L.tensor([9.0])), True),
    "put-dtype": (lambda L: L.zeros(2, 3).put(L.tensor([1]), L.tensor([9])), True),
    "put-range": (lambda L: L.zeros(2, 3).put(L.tensor([7]), L.tensor([9.0])), False),
    "index-range": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 5]), L.ones(2), "sum"),
                    True),
    "index-negative": (lambda L: L.zeros(3).scatter_reduce(0, L.tensor([-1]), L.ones(1),
                                                           "amin"), True),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_have_torchs_types(name):
    call, same_message = ERRORS[name]
    with pytest.raises(Exception) as theirs:
        _quiet(lambda: call(torch))
    expected = type(theirs.value)
    if expected is NotImplementedError:  # torch has no bool mean kernel; eager says so
        expected = RuntimeError
    with pytest.raises(expected) as ours:
        _quiet(lambda: call(eager))
    if same_message:  # torch's text, after the "name(): " that eager's "name: " stands for
        assert re.sub(r"^\w+\(\): ", "", str(theirs.value).split(" (Triggered")[0]) \
            in str(ours.value)


def test_static_graph_stages_the_methods():
    data = np.array(X, np.float32)
    with static.Graph() as g:
        x = static.placeholder((3, 4), name="x") * 1.0
        y = x.scatter_reduce(1, np.array(IDX), x[:, :3] * 2, "amax", include_self=False)
        z = x.clone()
        z.put_(np.array([0, -1]), x[0, :2])
    got = static.Session(g).run([y, z], {"x": data})
    t = torch.tensor(data)
    want_y = t.scatter_reduce(1, torch.tensor(IDX), t[:, :3] * 2, "amax", include_self=False)
    want_z = t.clone().put_(torch.tensor([0, -1]), t[0, :2])
    np.testing.assert_array_equal(got[0], want_y.numpy())
    np.testing.assert_array_equal(got[1], want_z.numpy())
