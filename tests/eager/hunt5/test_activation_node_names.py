"""The backward nodes of activations eager composes of several ops, and of Linear on inputs of
any rank, are named as PyTorch's (``print(F.silu(x))`` shows ``grad_fn=<SiluBackward0>``, a
GPT's logits ``grad_fn=<ViewBackward0>``), and their gradients stay PyTorch's."""

import pytest
import torch

import eager

ACTIVATIONS = {
    "silu": lambda F, x: F.silu(x), "softplus": lambda F, x: F.softplus(x),
    "mish": lambda F, x: F.mish(x), "leaky_relu": lambda F, x: F.leaky_relu(x, 0.2),
    "elu": lambda F, x: F.elu(x), "selu": lambda F, x: F.selu(x), "celu": lambda F, x: F.celu(x),
    "hardtanh": lambda F, x: F.hardtanh(x), "relu6": lambda F, x: F.relu6(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x), "hardswish": lambda F, x: F.hardswish(x),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x), "softshrink": lambda F, x: F.softshrink(x),
    "hardshrink": lambda F, x: F.hardshrink(x), "glu": lambda F, x: F.glu(x, -1),
    "softsign": lambda F, x: F.softsign(x), "tanhshrink": lambda F, x: F.tanhshrink(x),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_node_name_and_gradient_are_torchs(name):
    values = [[-4.0, -0.7, -0.2, 0.3, 1.5, 5.0], [0.1, -2.5, 2.5, -0.4, 0.6, 3.5]]
    results = []
    for lib in (torch, eager):
        x = lib.tensor(values, requires_grad=True)
        y = ACTIVATIONS[name](lib.nn.functional, x * 1.0)
        y.sum().backward()
        results.append((y.grad_fn.name(), y.flatten().tolist(), x.grad.flatten().tolist()))
    assert results[1][0] == results[0][0]
    assert results[1][1] == pytest.approx(results[0][1], abs=1e-6)
    assert results[1][2] == pytest.approx(results[0][2], abs=1e-6)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 2, 3), (2, 1, 2, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_node_name_follows_the_input_rank(shape, bias):
    names = []
    for lib in (torch, eager):
        layer = lib.nn.Linear(3, 4, bias=bias)
        names.append(layer(lib.ones(shape)).grad_fn.name())
    assert names[0] == names[1]


def test_in_place_activation_keeps_working():
    for lib in (torch, eager):
        x = lib.tensor([-1.0, 2.0], requires_grad=True)
        y = lib.nn.functional.leaky_relu(x * 1.0, 0.5, inplace=True)
        y.sum().backward()
        assert x.grad.tolist() == [0.5, 1.0]


CALLS = {
    "rsqrt": lambda lib, x: lib.rsqrt(x.abs() + 1),
    "rsqrt method": lambda lib, x: (x * x + 1).rsqrt(),
    "std": lambda lib, x: lib.std(x), "std dim": lambda lib, x: x.std(1, keepdim=True),
    "amax": lambda lib, x: x.amax(-1), "amin": lambda lib, x: x.amin(),
    "lerp scalar": lambda lib, x: lib.lerp(x, lib.zeros_like(x), 0.3),
    "lerp tensor": lambda lib, x: lib.lerp(x, lib.zeros_like(x), lib.full_like(x, 0.3)),
    "addcmul": lambda lib, x: lib.addcmul(x, x, x, value=0.5),
    "addcdiv": lambda lib, x: x.addcdiv(x, x.abs() + 1),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_composed_math_node_names_are_torchs(name):
    results = []
    for lib in (torch, eager):
        x = lib.tensor([[0.5, -1.5, 2.0], [1.0, 0.25, -3.0]], requires_grad=True)
        y = CALLS[name](lib, x * 1.0)
        y.sum().backward()
        results.append((y.grad_fn.name(), x.grad.flatten().tolist()))
    assert results[1][0] == results[0][0]
    assert results[1][1] == pytest.approx(results[0][1], abs=1e-6)
