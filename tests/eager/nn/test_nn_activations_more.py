"""PReLU, Softmin, Softsign, Hardswish, Hardsigmoid, GLU, Threshold, CELU, Softshrink,
Hardshrink, Tanhshrink and Softmax2d against torch: values and gradients (at the kinks too),
printing, state dict keys, in-place forms and errors."""


import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_both

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

# Every kink of every function here, and points beside them.
KINKS = np.array([-4, -3, -2.9, -1, -0.5, -0.3, 0, 0.3, 0.5, 1, 2.9, 3, 4], np.float32)

MODULES = [
    ("PReLU", (), {}, (4, 13)), ("PReLU", (3, 0.1), {}, (2, 3, 5)), ("PReLU", (3,), {}, (4, 3)),
    ("Softmin", (), {"dim": 1}, (4, 5)), ("Softsign", (), {}, (13,)),
    ("Hardswish", (), {}, (13,)), ("Hardsigmoid", (), {}, (13,)), ("GLU", (), {}, (3, 6)),
    ("GLU", (0,), {}, (4, 3)), ("Threshold", (0.3, 20.0), {}, (13,)),
    ("CELU", (), {}, (13,)), ("CELU", (0.5,), {}, (13,)), ("Softshrink", (), {}, (13,)),
    ("Softshrink", (0.3,), {}, (13,)), ("Hardshrink", (), {}, (13,)),
    ("Hardshrink", (1.0,), {}, (13,)), ("Tanhshrink", (), {}, (13,)),
    ("Softmax2d", (), {}, (2, 3, 4, 5)), ("Softmax2d", (), {}, (3, 4, 5)),
]


def _input(shape):
    return KINKS.copy() if shape == (13,) else np.resize(KINKS, shape) + randn(*shape) * 1e-3


@pytest.mark.parametrize("name,args,kwargs,shape", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, kwargs, shape):
    assert_module_matches_torch(torch, name, args, kwargs, [_input(shape)])


@pytest.mark.parametrize("name,args", [
    ("Hardswish", ()), ("Hardsigmoid", ()), ("Threshold", (0.3, 20.0)), ("CELU", (0.5,)),
])
def test_inplace_forms_match_torch(name, args):
    ours, theirs = getattr(nn, name)(*args, inplace=True), getattr(torch.nn, name)(*args,
                                                                                   inplace=True)
    assert repr(ours) == repr(theirs)
    x, y = eager.tensor(KINKS), torch.tensor(KINKS)
    assert ours(x) is x and theirs(y) is y
    np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=1e-6, atol=1e-7)


def test_prelu_slope_starts_at_init_and_learns_as_torchs():
    ours, theirs = nn.PReLU(3, 0.1), torch.nn.PReLU(3, 0.1)
    assert ours.weight.tolist() == pytest.approx(theirs.weight.tolist())
    run_both(F.prelu, torch.nn.functional.prelu, [randn(2, 3, 4), randn(3, seed=1)], torch)


@pytest.mark.parametrize("call,error,message", [
    (lambda lib: lib.nn.functional.glu(lib.ones(2, 5)), RuntimeError,
     "Halving dimension must be even, but dimension 1 is size 5"),
    (lambda lib: lib.nn.functional.softshrink(lib.ones(2), -1.0), RuntimeError,
     "lambda must be in range"),
    (lambda lib: lib.nn.functional.prelu(lib.ones(2, 3), lib.ones(2)), RuntimeError,
     "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2"),
    (lambda lib: lib.nn.Softmax2d()(lib.ones(2, 3)), ValueError,
     "Softmax2d: expected input to be 3D or 4D, got 2D instead"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib)


@pytest.mark.parametrize("name,args", [
    ("relu_", ()), ("elu_", (0.5,)), ("leaky_relu_", (0.2,)), ("hardtanh_", (-0.5, 0.5)),
    ("threshold_", (0.3, 20.0)), ("celu_", (0.5,)), ("selu_", ()),
])
def test_functional_inplace_forms_write_into_the_input_as_torch(name, args):
    x, y = eager.tensor(KINKS), torch.tensor(KINKS)
    assert getattr(F, name)(x, *args) is x
    assert getattr(torch.nn.functional, name)(y, *args) is y
    np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=1e-6, atol=1e-7)
