"""``t.float()``, ``t.byte()``... (one per legacy tensor type) against torch's: dtype, values,
the same tensor back when nothing changes, and gradients through the cast."""

from __future__ import annotations

import numpy as np
import pytest

import eager

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
