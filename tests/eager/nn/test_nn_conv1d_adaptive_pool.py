"""Conv1d, MaxPool1d, AvgPool1d and the adaptive poolings against torch: outputs and every
gradient (module parameters included), printing, state dict keys, and errors."""

import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_both

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

MODULES = [
    ("Conv1d", (3, 6, 3), {}, (2, 3, 11)),
    ("Conv1d", (4, 8, 5), {"stride": 2, "padding": 2, "dilation": 2, "groups": 2}, (2, 4, 17)),
    ("Conv1d", (3, 4, 3), {"padding": "same", "bias": False}, (2, 3, 9)),
    ("Conv1d", (3, 4, 5), {"padding": "same", "dilation": 2}, (3, 10)),
    ("Conv1d", (3, 4, 3), {"padding": "valid"}, (2, 3, 9)),
    ("MaxPool1d", (3,), {"stride": 2, "padding": 1}, (2, 3, 11)),
    ("MaxPool1d", (2,), {"ceil_mode": True}, (2, 3, 9)),
    ("MaxPool1d", (3, 1, 0, 2), {}, (3, 12)),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1}, (2, 3, 11)),
    ("AvgPool1d", (3, 2, 1), {"count_include_pad": False}, (2, 3, 10)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 11)),
    ("AdaptiveAvgPool1d", (5,), {}, (3, 10)),
    ("AdaptiveAvgPool2d", ((1, 1),), {}, (2, 3, 7, 9)),
    ("AdaptiveAvgPool2d", (1,), {}, (2, 3, 7, 9)),
    ("AdaptiveAvgPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveAvgPool2d", ((None, 5),), {}, (3, 8, 9)),
    ("AdaptiveAvgPool2d", (7,), {}, (1, 2, 5, 5)),
    ("AdaptiveMaxPool1d", (4,), {}, (2, 3, 10)),
    ("AdaptiveMaxPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveMaxPool2d", ((2, None),), {}, (2, 3, 6, 5)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, kwargs, shape):
    assert_module_matches_torch(torch, name, args, kwargs, [randn(*shape)])


def test_conv1d_parameters_have_torchs_shapes_and_init_bounds():
    ours = nn.Conv1d(4, 6, 5, groups=2)
    assert tuple(ours.weight.shape) == tuple(torch.nn.Conv1d(4, 6, 5, groups=2).weight.shape)
    bound = 1 / np.sqrt(2 * 5)  # fan_in = in_channels / groups * kernel
    assert np.abs(ours.weight.detach().numpy()).max() <= bound
    assert np.abs(ours.bias.detach().numpy()).max() <= bound


@pytest.mark.parametrize("kwargs", [{}, {"stride": 3, "padding": 2}, {"dilation": 2},
                                    {"groups": 3}])
def test_functional_conv1d_matches_torch(kwargs):
    inputs = [randn(2, 6, 13), randn(9, 6 // kwargs.get("groups", 1), 4, seed=1),
              randn(9, seed=2)]
    run_both(lambda *xs: F.conv1d(*xs, **kwargs), lambda *xs: torch.nn.functional.conv1d(
        *xs, **kwargs), inputs, torch)


def test_max_pool1d_indices_match_torch():
    x = randn(2, 3, 11)
    out, idx = F.max_pool1d(eager.tensor(x), 3, 2, 1, return_indices=True)
    want, want_idx = torch.nn.functional.max_pool1d(torch.tensor(x), 3, 2, 1,
                                                    return_indices=True)
    np.testing.assert_array_equal(out.numpy(), want.numpy())
    np.testing.assert_array_equal(idx.numpy(), want_idx.numpy())


@pytest.mark.parametrize("call,error", [
    (lambda lib: lib.nn.Conv1d(3, 4, 3, groups=2), ValueError),
    (lambda lib: lib.nn.Conv1d(3, 4, 3, stride=2, padding="same"), ValueError),
    (lambda lib: lib.nn.Conv1d(3, 4, 3, padding="full"), ValueError),
    (lambda lib: lib.nn.functional.conv1d(lib_randn(lib, 2, 3, 4, 5), lib_randn(lib, 4, 3, 3)),
     RuntimeError),
    (lambda lib: lib.nn.functional.adaptive_avg_pool2d(lib_randn(lib, 3, 4), 2), RuntimeError),
])
def test_errors_are_torchs_types(call, error):
    with pytest.raises(error):
        call(torch)
    with pytest.raises(error):
        call(eager)


def lib_randn(lib, *shape):
    return lib.tensor(randn(*shape))
