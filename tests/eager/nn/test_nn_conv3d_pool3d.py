"""Conv3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d (and their functional forms) against torch:
outputs and every gradient (module parameters included), printing, state dict keys, the
seeded initialization, and PyTorch's errors."""

import numpy as np
import pytest
from nn_parity import randn, run_both, run_modules
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

MODULES = [
    ("Conv3d", (3, 4, 3), {}, (2, 3, 5, 6, 5)),
    ("Conv3d", (4, 6, (3, 2, 3)), {"stride": (2, 1, 2), "padding": (1, 0, 1), "dilation": 1,
                                   "groups": 2}, (2, 4, 7, 5, 6)),
    ("Conv3d", (2, 3, 3), {"padding": "same", "dilation": (1, 2, 1), "bias": False},
     (1, 2, 5, 6, 4)),
    ("Conv3d", (2, 3, (3, 1, 3)), {"padding": "same"}, (2, 4, 5, 3)),  # unbatched
    ("Conv3d", (2, 3, 2), {"padding": "valid"}, (1, 2, 4, 4, 4)),
    ("ConvTranspose3d", (4, 3, 2), {"stride": 2}, (2, 4, 3, 4, 3)),
    ("ConvTranspose3d", (4, 6, (3, 2, 3)), {"stride": (2, 1, 2), "padding": (1, 0, 2),
                                            "output_padding": (1, 0, 1), "groups": 2,
                                            "dilation": (1, 2, 1)}, (1, 4, 3, 3, 4)),
    ("ConvTranspose3d", (2, 2, 2), {"padding": 1, "bias": False}, (2, 3, 3, 3)),  # unbatched
    ("MaxPool3d", (2,), {}, (2, 3, 6, 5, 4)),
    ("MaxPool3d", ((3, 2, 2),), {"stride": (2, 1, 2), "padding": (1, 1, 0)}, (2, 2, 7, 5, 6)),
    ("MaxPool3d", (2,), {"ceil_mode": True}, (1, 2, 5, 5, 3)),
    ("MaxPool3d", (3,), {"stride": 1, "dilation": (2, 1, 1)}, (2, 6, 5, 5)),  # unbatched
    ("AvgPool3d", (2,), {}, (2, 3, 6, 5, 4)),
    ("AvgPool3d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False},
     (2, 2, 7, 5, 6)),
    ("AvgPool3d", ((2, 1, 2),), {"divisor_override": 3}, (2, 6, 5, 4)),
    ("AdaptiveAvgPool3d", (1,), {}, (2, 3, 5, 4, 6)),
    ("AdaptiveAvgPool3d", ((2, 3, None),), {}, (2, 3, 5, 4, 6)),
    ("AdaptiveAvgPool3d", ((3, 3, 4),), {}, (3, 5, 7, 6)),
    ("AdaptiveMaxPool3d", (1,), {}, (2, 3, 5, 4, 6)),
    ("AdaptiveMaxPool3d", ((2, None, 4),), {}, (2, 3, 5, 4, 6)),
    ("AdaptiveMaxPool3d", ((3, 3, 4),), {}, (3, 5, 7, 6)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, kwargs, shape):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    run_modules(ours, theirs, [randn(*shape)], torch)


def test_conv_transpose3d_output_size_picks_the_output_padding_as_torch():
    ours = nn.ConvTranspose3d(2, 3, 3, stride=2)
    theirs = torch.nn.ConvTranspose3d(2, 3, 3, stride=2)
    run_modules(ours, theirs, [randn(1, 2, 3, 4, 3)], torch,
                call=lambda m, x: m(x, output_size=(8, 10, 7)))
    assert_same_error(ValueError, lambda: ours(eager.ones(1, 2, 3, 4, 3), output_size=(5, 9, 9)),
                      lambda: theirs(torch.ones(1, 2, 3, 4, 3), output_size=(5, 9, 9)))


def test_conv3d_initialization_follows_torchs_seeded_stream():
    eager.manual_seed(3)
    torch.manual_seed(3)
    ours, theirs = nn.Conv3d(2, 4, (2, 3, 1), groups=2), torch.nn.Conv3d(2, 4, (2, 3, 1), groups=2)
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
    np.testing.assert_array_equal(ours.bias.detach().numpy(), theirs.bias.detach().numpy())


@pytest.mark.parametrize("kwargs", [{}, {"stride": 2, "padding": 1}, {"groups": 3}])
def test_functional_conv3d_matches_torch(kwargs):
    groups = kwargs.get("groups", 1)
    x, w, b = randn(2, 3, 4, 5, 4), randn(6, 3 // groups, 2, 3, 2), randn(6)
    run_both(lambda x, w, b: F.conv3d(x, w, b, **kwargs),
             lambda x, w, b: torch.nn.functional.conv3d(x, w, b, **kwargs), [x, w, b], torch)


def test_same_padding_with_an_even_kernel_warns_and_pads_the_far_side_as_torch():
    ours, theirs = nn.Conv3d(2, 3, 2, padding="same"), torch.nn.Conv3d(2, 3, 2, padding="same")
    with pytest.warns(UserWarning, match="even kernel lengths"):
        run_modules(ours, theirs, [randn(1, 2, 4, 3, 5)], torch)


@pytest.mark.parametrize("name,args", [("max_pool3d", (2,)), ("adaptive_max_pool3d", (3,))])
def test_max_poolings_give_the_first_maximum_the_gradient_as_torch(name, args):
    x = np.zeros((1, 1, 4, 4, 4), dtype=np.float32)  # every window is a tie of zeros
    x[0, 0, 2, 3, 1] = x[0, 0, 3, 0, 0] = -1.0
    run_both(lambda x: getattr(F, name)(x, *args),
             lambda x: getattr(torch.nn.functional, name)(x, *args), [x], torch)


ERRORS = [
    (lambda m: m.conv3d(m.ones(2, 3, 4), m.ones(2, 3, 1, 1, 1)), RuntimeError),
    (lambda m: m.conv3d(m.ones(1, 4, 3, 3, 3), m.ones(2, 3, 1, 1, 1)), RuntimeError),
    (lambda m: m.conv3d(m.ones(1, 3, 2, 2, 2), m.ones(2, 3, 3, 3, 3)), RuntimeError),
    (lambda m: m.conv3d(m.ones(1, 3, 4, 4, 4), m.ones(2, 3, 2, 2, 2), padding="full"),
     RuntimeError),
    (lambda m: m.conv3d(m.ones(1, 3, 4, 4, 4), m.ones(2, 3, 1, 1, 1), stride=2,
                        padding="same"), RuntimeError),
    (lambda m: m.max_pool3d(m.ones(2, 3, 4), 2), RuntimeError),
    (lambda m: m.max_pool3d(m.ones(1, 1, 3, 3, 3), 2, padding=2), RuntimeError),
    (lambda m: m.avg_pool3d(m.ones(3, 4), 2), RuntimeError),
    (lambda m: m.adaptive_avg_pool3d(m.ones(2, 3, 4), 2), RuntimeError),
    (lambda m: m.adaptive_max_pool3d(m.ones(2, 3, 4), 2), RuntimeError),
]


@pytest.mark.parametrize("call,error", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call, error):
    class Both:
        def __init__(self, lib, functional):
            self.lib, self.functional = lib, functional

        def __getattr__(self, name):
            return getattr(self.functional, name, None) or getattr(self.lib, name)

    assert_same_error(error, lambda: call(Both(eager, F)),
                      lambda: call(Both(torch, torch.nn.functional)))


def test_conv3d_module_refuses_bad_arguments_as_torch():
    for kwargs in ({"groups": 0}, {"padding": "same", "stride": 2}, {"padding": "full"}):
        with pytest.raises(ValueError):
            torch.nn.Conv3d(4, 4, 3, **kwargs)
        with pytest.raises(ValueError):
            nn.Conv3d(4, 4, 3, **kwargs)
