"""``F.conv1d/2d/3d(padding='same' | 'valid')`` against torch: odd and even kernels, dilation,
groups, unbatched inputs, the warning of an uneven split and the errors."""

import warnings

import pytest
from nn_parity import randn, run_both
from torch_errors import assert_same_error

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

CASES = [  # name, input shape, weight shape, kwargs
    ("conv1d", (2, 2, 9), (4, 2, 3), dict(padding="same")),
    ("conv1d", (2, 2, 9), (4, 1, 3), dict(padding="same", dilation=2, groups=2)),
    ("conv1d", (2, 2, 9), (4, 2, 4), dict(padding="valid")),
    ("conv2d", (2, 2, 6, 5), (4, 1, 3, 3), dict(padding="same", groups=2)),
    ("conv2d", (2, 3, 6, 5), (4, 3, 3, 1), dict(padding="same", dilation=(2, 1))),
    ("conv2d", (3, 6, 5), (4, 3, 3, 3), dict(padding="valid")),  # unbatched
    ("conv3d", (1, 2, 5, 4, 6), (3, 2, 3, 1, 3), dict(padding="same")),
    ("conv3d", (1, 2, 5, 4, 6), (3, 2, 2, 2, 2), dict(padding="valid")),
]


@pytest.mark.parametrize("name,xs,ws,kw", CASES)
def test_string_padding_matches_torch(name, xs, ws, kw):
    run_both(lambda x, w: getattr(F, name)(x, w, **kw),
             lambda x, w: getattr(TF, name)(x, w, **kw), [randn(*xs), randn(*ws, seed=1)],
             torch)


@pytest.mark.parametrize("name,xs,ws", [("conv1d", (1, 2, 7), (3, 2, 4)),
                                        ("conv2d", (1, 2, 5, 6), (3, 2, 2, 3)),
                                        ("conv3d", (1, 1, 4, 5, 4), (2, 1, 2, 3, 2))])
def test_even_kernels_pad_the_far_end_with_torch_warning(name, xs, ws):
    with warnings.catch_warnings():  # torch's C++ warning comes once per process
        warnings.simplefilter("ignore")
        out_t = getattr(TF, name)(torch.tensor(randn(*xs)), torch.tensor(randn(*ws, seed=1)),
                                  padding="same")
    with pytest.warns(UserWarning, match="even kernel lengths and odd dilation"):
        run_both(lambda x, w: getattr(F, name)(x, w, padding="same"),
                 lambda x, w: out_t, [randn(*xs), randn(*ws, seed=1)], torch, grad=False)
    assert tuple(out_t.shape[2:]) == xs[2:]


@pytest.mark.parametrize("name,xs,ws", [("conv1d", (1, 2, 7), (3, 2, 3)),
                                        ("conv2d", (1, 2, 5, 6), (3, 2, 3, 3)),
                                        ("conv3d", (1, 1, 4, 5, 4), (2, 1, 3, 3, 3))])
def test_bad_strings_and_strides_raise_torch_errors(name, xs, ws):
    x, w = randn(*xs), randn(*ws, seed=1)
    for kw in (dict(padding="full"), dict(padding="same", stride=2)):
        assert_same_error(RuntimeError,
                          lambda kw=kw: getattr(F, name)(eager.tensor(x), eager.tensor(w), **kw),
                          lambda kw=kw: getattr(TF, name)(torch.tensor(x), torch.tensor(w),
                                                          **kw))


def test_same_padding_gradient_matches_finite_differences():
    rng = __import__("numpy").random.default_rng(2)
    x = eager.tensor(rng.standard_normal((1, 2, 5, 4)), requires_grad=True)
    w = eager.tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)
    assert eager.autograd.gradcheck(lambda a, b: F.conv2d(a, b, padding="same", dilation=2),
                                    (x, w))


@pytest.mark.parametrize("layer,kernel,shape", [("Conv1d", 4, (1, 2, 7)),
                                                ("Conv2d", (2, 3), (1, 2, 5, 6)),
                                                ("Conv3d", 2, (1, 2, 4, 3, 5))])
def test_conv_layers_warn_as_torch_s_functional_does(layer, kernel, shape):
    # torch's layers call F.conv*d(padding='same'), whose (once per process) warning this is.
    module = getattr(eager.nn, layer)(2, 3, kernel, padding="same")
    with pytest.warns(UserWarning, match="even kernel lengths and odd dilation"):
        out = module(eager.tensor(randn(*shape)))
    assert tuple(out.shape[2:]) == shape[2:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(eager.nn, layer)(2, 3, 3, padding="same")(eager.tensor(randn(*shape)))
