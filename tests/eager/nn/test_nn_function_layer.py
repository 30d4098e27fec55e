"""`FunctionLayer` and the layers declared on it (activations, poolings, Flatten, pixel
shuffle): PyTorch's printing, outputs and constructor errors, and the class-statement
declaration itself."""

import doctest
import inspect

import numpy as np
import pytest
import torch

import eager
import eager.nn as nn
from eager.nn import function_layer
from eager.nn.function_layer import FunctionLayer

# (name, constructor arguments, input shape): every public layer built on FunctionLayer.
CASES = [
    ("ReLU", (), (2, 3)), ("ReLU", (True,), (2, 3)), ("Sigmoid", (), (2, 3)),
    ("Softmax", (1,), (2, 3)), ("Softmin", (0,), (4,)), ("GLU", (), (2, 4)),
    ("ELU", (0.5, True), (2, 3)), ("CELU", (2.0,), (2, 3)), ("LeakyReLU", (0.2,), (2, 3)),
    ("Softplus", (2.0, 10.0), (2, 3)), ("Hardtanh", (-2.0, 2.0, True), (2, 3)),
    ("ReLU6", (True,), (2, 3)), ("GELU", ("tanh",), (2, 3)), ("Threshold", (0.1, 20.0), (2, 3)),
    ("Softshrink", (0.3,), (2, 3)), ("Hardshrink", (), (2, 3)), ("Hardswish", (True,), (2, 3)),
    ("Flatten", (), (2, 3, 4)), ("Flatten", (0, 1), (2, 3, 4)),
    ("PixelShuffle", (2,), (1, 8, 2, 3)), ("PixelUnshuffle", (2,), (1, 2, 4, 6)),
    ("AdaptiveAvgPool2d", ((2, 1),), (1, 2, 4, 4)), ("AdaptiveMaxPool1d", (2,), (1, 2, 6)),
    ("MaxPool2d", (2,), (1, 1, 4, 4)), ("MaxPool1d", (3, 1, 1), (1, 2, 7)),
]


@pytest.mark.parametrize(("name", "args", "shape"), CASES)
def test_layer_prints_and_computes_as_torch(name, args, shape):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert isinstance(ours, FunctionLayer)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(ours(eager.tensor(x.copy())).numpy(),
                               theirs(torch.tensor(x.copy())).numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("name", "args", "kwargs"), [
    ("Sigmoid", (1,), {}), ("Tanh", (), {"foo": 1}), ("Hardtanh", (1.0, -1.0), {}),
    ("Softplus", (1.0, 2.0, 3.0), {}),
])
def test_constructor_errors_are_torch_s(name, args, kwargs):
    with pytest.raises(Exception) as theirs:
        getattr(torch.nn, name)(*args, **kwargs)
    with pytest.raises(theirs.type) as ours:
        getattr(nn, name)(*args, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_every_function_layer_has_torch_s_constructor_signature():
    layers = [name for name in nn.__all__ if isinstance(getattr(nn, name), type)
              and issubclass(getattr(nn, name), FunctionLayer)]
    assert len(layers) > 20

    def parameters(cls):
        return [(p.name, p.default, p.kind) for p in inspect.signature(cls).parameters.values()]

    for name in layers:
        assert parameters(getattr(nn, name)) == parameters(getattr(torch.nn, name)), name


def test_function_and_options_are_inherited_and_overridable():
    class Scaled(FunctionLayer, function=lambda x, k: x * k, options=("k",)):
        def __init__(self, k: float = 2.0) -> None:
            super().__init__(k)

    class Shifted(Scaled, function=lambda x, k: x + k):
        pass

    assert Shifted.options == ("k",)
    assert Shifted(3.0)(eager.tensor([1.0])).tolist() == [4.0]
    assert Scaled()(eager.tensor([1.0])).tolist() == [2.0]
    assert repr(Shifted(3.0)) == "Shifted(k=3.0)"
    assert nn.Hardshrink.options == nn.Softshrink.options == ("lambd",)


def test_docstring_example_runs():
    result = doctest.testmod(function_layer, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
