"""Gradient rules that declare ``needs`` skip the gradients nobody asked for (PyTorch's
``needs_input_grad``): the engine passes which inputs require grad, and a rule such as
matmul's then runs one product instead of two. Counted on the kernels, not timed."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as nn
from shared_ops import OPS


@pytest.fixture
def matmul_calls(monkeypatch):
    calls: list[tuple] = []
    for name in ("matmul", "affine", "affine_weight_grad"):
        op = OPS[name]
        kernel = op.kernel

        def counting(*arrays, _kernel=kernel, _name=name, **attrs):
            calls.append((_name, tuple(a.shape for a in arrays)))
            return _kernel(*arrays, **attrs)

        monkeypatch.setattr(op, "kernel", counting)
    return calls


def test_rules_that_take_needs_are_flagged():
    assert OPS["matmul"].vjp_needs and OPS["mul"].vjp_needs and OPS["affine"].vjp_needs
    assert not OPS["exp"].vjp_needs


def test_a_constant_operand_gets_no_product(matmul_calls):
    x = eager.randn(4, 3)  # data: no gradient wanted
    w = eager.randn(3, 2, requires_grad=True)
    (x @ w).sum().backward()
    assert matmul_calls == [("matmul", ((4, 3), (3, 2))), ("matmul", ((3, 4), (4, 2)))]
    np.testing.assert_allclose(w.grad.numpy(), x.numpy().sum(0)[:, None] * np.ones((1, 2)),
                               rtol=1e-6)
    assert x.grad is None


def test_the_first_layer_skips_the_gradient_of_its_input(matmul_calls):
    model = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 2))
    x = eager.randn(3, 5)
    model(x).sum().backward()
    backward = matmul_calls[2:]  # after the two forward `affine` kernels
    # layer 2: dL/dh and dL/dW2; layer 1: dL/dW1 only (x needs none)
    assert backward == [("matmul", ((3, 2), (2, 4))), ("affine_weight_grad", ((3, 2), (3, 4))),
                        ("affine_weight_grad", ((3, 4), (3, 5)))]


def test_both_gradients_when_both_are_wanted(matmul_calls):
    a = eager.randn(4, 3, requires_grad=True)
    b = eager.randn(3, 2, requires_grad=True)
    (a @ b).sum().backward()
    assert len(matmul_calls) == 3 and a.grad is not None and b.grad is not None
