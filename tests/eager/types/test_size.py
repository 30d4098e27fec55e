"""eager.Size and tensor.shape / size() against torch.Size."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

# Expressions over a Size named ``s`` (a 2x3 shape), evaluated with each library's Size.
EXPRESSIONS = [
    "s", "s[1:]", "s[:0]", "s[0]", "s[-1]", "s + (4,)", "(4,) + s", "s + s", "s * 2", "2 * s",
    "s.numel()", "S([]).numel()", "S([])", "s == (2, 3)", "s == [2, 3]", "s != (3, 2)",
    "hash(s) == hash((2, 3))", "len(s)", "s.index(3)", "s.count(2)", "list(s)", "tuple(s)",
    "str(s)", "f'{s}'", "S([True, 4])", "S((np.int64(2),))", "S(x for x in [5, 6])",
    "S(np.array([2, 3]))", "(2, 3) in {s: 1}",
]


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_size_as_torchs(text):
    results = []
    for lib in (eager, torch):
        value = eval(text, {"s": lib.Size([2, 3]), "S": lib.Size, "np": np})
        results.append((repr(value), type(value).__name__))
    assert results[0] == results[1]


@pytest.mark.parametrize("text", ["S([2.5])", "S(['a'])", "S([2]) + [1]", "S(3)"])
def test_size_errors_as_torchs(text):
    with pytest.raises(TypeError) as theirs:
        eval(text, {"S": torch.Size})
    with pytest.raises(TypeError) as ours:
        eval(text, {"S": eager.Size})
    if text != "S(3)":  # 'int' object is not iterable: Python's wording, not torch's
        assert str(ours.value) == str(theirs.value)


def test_size_pickles_and_is_a_tuple():
    s = eager.Size([4, 5])
    back = pickle.loads(pickle.dumps(s))
    assert type(back) is eager.Size and back == (4, 5)
    assert isinstance(s, tuple)


@pytest.mark.parametrize("shape", [(), (0,), (2, 3), (1, 1, 4)])
def test_shape_and_size_of_tensors(shape):
    ours, theirs = eager.zeros(shape), torch.zeros(shape)
    for a, b in [(ours.shape, theirs.shape), (ours.size(), theirs.size())]:
        assert type(a) is eager.Size and repr(a) == repr(b)
    for dim in range(-len(shape), len(shape)):
        assert ours.size(dim) == theirs.size(dim) and type(ours.size(dim)) is int
        assert ours.size(dim=dim) == theirs.size(dim=dim)


@pytest.mark.parametrize("shape, dim", [((), 0), ((2, 3), 2), ((2, 3), -3), ((4,), "a")])
def test_size_dim_errors_as_torchs(shape, dim):
    with pytest.raises((IndexError, TypeError)) as theirs:
        torch.zeros(shape).size(dim)
    with pytest.raises(type(theirs.value)) as ours:
        eager.zeros(shape).size(dim)
    assert str(ours.value) == str(theirs.value)
