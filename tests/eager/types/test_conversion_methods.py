"""``t.float()``, ``t.byte()``... (one per legacy tensor type, from shared_ops' method table)
against torch's: dtype, values, the same tensor back when nothing changes, gradients through
the cast, and the same methods on static graph values."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import static

torch = pytest.importorskip("torch")

METHODS = ["float", "double", "half", "byte", "char", "short", "int", "long", "bool"]
VALUES = [-2.5, 0.0, 1.5, 3.0]


@pytest.mark.parametrize("name", METHODS)
@pytest.mark.parametrize("start", ["float32", "int64", "bool"])
def test_conversion_matches_torch(name, start):
    values = [v for v in VALUES if start != "int64" or v == int(v)]
    ours = getattr(eager.tensor(values).to(getattr(eager, start)), name)()
    theirs = getattr(torch.tensor(values).to(getattr(torch, start)), name)()
    assert repr(ours.dtype) == repr(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name", ["float", "long", "bool"])
def test_same_dtype_returns_the_tensor_itself(name):
    ours, theirs = eager.zeros(2).to(getattr(eager, name)), torch.zeros(2).to(getattr(torch, name))
    assert getattr(ours, name)() is ours
    assert getattr(theirs, name)() is theirs


def test_gradient_flows_through_double_as_in_torch():
    ours = eager.tensor([1.0, 2.0], requires_grad=True)
    theirs = torch.tensor([1.0, 2.0], requires_grad=True)
    (ours.double() * 3).sum().backward()
    (theirs.double() * 3).sum().backward()
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())
    assert repr(ours.grad.dtype) == repr(theirs.grad.dtype)


@pytest.mark.parametrize("name", METHODS)
def test_graph_values_convert_as_torch(name):
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        y = getattr(x, name)()
    (got,) = static.Session(g).run([y], {x: np.array(VALUES, np.float32)})
    want = getattr(torch.tensor(VALUES), name)().numpy()
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
