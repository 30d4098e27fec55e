"""The F18 layers and functions against torch: ChannelShuffle, LPPool1d/2d/3d, InstanceNorm3d,
the 3-d paddings, F.pdist, TripletMarginWithDistanceLoss, nn.init.dirac_ and the deprecated
F.upsample aliases: outputs, gradients (float64 finite differences too), reprs, signatures,
warnings and errors."""

import inspect
import warnings

import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_both
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _params(fn):
    return [(p.name, p.default, p.kind) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("groups,shape", [(2, (2, 6, 3, 3)), (3, (1, 6, 5)), (4, (2, 8, 2, 2, 2))])
def test_channel_shuffle_matches_torch(groups, shape):
    run_both(lambda x: F.channel_shuffle(x, groups), lambda x: TF.channel_shuffle(x, groups),
             [randn(*shape)], torch)
    assert_module_matches_torch(torch, "ChannelShuffle", (groups,), {}, [randn(*shape)])


@pytest.mark.parametrize("x,groups", [((1, 5, 2, 2), 2), ((4, 4), 2), ((1, 4, 2), 0)])
def test_channel_shuffle_errors_are_torch_s(x, groups):
    a = np.ones(x, np.float32)
    assert_same_error(RuntimeError, lambda: F.channel_shuffle(eager.tensor(a), groups),
                      lambda: TF.channel_shuffle(torch.tensor(a), groups))


LP_CASES = [  # nd, norm_type, kernel_size, stride, ceil_mode, shape
    (1, 2, 3, None, False, (2, 3, 9)), (1, 1.5, 3, 2, True, (2, 3, 8)),
    (2, 2, 3, 2, False, (2, 2, 7, 6)), (2, 3, (2, 3), None, True, (1, 2, 5, 7)),
    (2, float("inf"), 2, None, False, (2, 3, 4, 4)), (3, 2, 2, None, False, (1, 2, 4, 4, 6)),
    (3, 1, (2, 1, 2), 1, True, (1, 2, 3, 4, 5)),
]


@pytest.mark.parametrize("nd,p,k,s,ceil,shape", LP_CASES)
def test_lp_pool_matches_torch(nd, p, k, s, ceil, shape):
    # Positive inputs: a fractional power of a negative window sum is NaN in both libraries.
    x = np.abs(randn(*shape)) + 0.1
    run_both(lambda t: getattr(F, f"lp_pool{nd}d")(t, p, k, s, ceil),
             lambda t: getattr(TF, f"lp_pool{nd}d")(t, p, k, s, ceil), [x], torch)
    assert_module_matches_torch(torch, f"LPPool{nd}d", (p, k, s, ceil), {}, [x])


def test_instance_norm3d_matches_torch():
    for kwargs in ({}, {"affine": True}, {"track_running_stats": True},
                   {"affine": True, "bias": False}):
        assert_module_matches_torch(torch, "InstanceNorm3d", (3,), kwargs, [randn(2, 3, 3, 4, 5)])
    assert_module_matches_torch(torch, "InstanceNorm3d", (2,), {"affine": True},
                                [randn(2, 3, 4, 2)])  # unbatched
    assert_same_error(ValueError, lambda: nn.InstanceNorm3d(3)(eager.ones(2, 3, 4)),
                      lambda: torch.nn.InstanceNorm3d(3)(torch.ones(2, 3, 4)))


@pytest.mark.parametrize("name", ["ZeroPad3d", "ReflectionPad3d", "ReplicationPad3d",
                                  "CircularPad3d"])
@pytest.mark.parametrize("padding", [1, (1, 0, 2, 1, 1, 2)])
def test_3d_paddings_match_torch(name, padding):
    assert_module_matches_torch(torch, name, (padding,), {}, [randn(2, 2, 3, 4, 3)])
    assert_module_matches_torch(torch, name, (padding,), {}, [randn(2, 3, 4, 3)])


def test_constant_pad3d_matches_torch():
    assert_module_matches_torch(torch, "ConstantPad3d", ((1, 2, 0, 1, 2, 0), 2.5), {},
                                [randn(1, 2, 3, 3, 3)])


@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 3.0, 0.5, float("inf")])
def test_pdist_matches_torch(p):
    x = randn(5, 3)
    x[3] = x[1]  # a zero distance: its gradient is 0, as torch's
    run_both(lambda t: F.pdist(t, p), lambda t: TF.pdist(t, p), [x], torch, grad=p != 0.0)


def test_pdist_gradient_matches_finite_differences_and_errors_are_torch_s():
    x = eager.tensor(np.random.default_rng(8).standard_normal((4, 3)), requires_grad=True)
    assert eager.autograd.gradcheck(lambda t: F.pdist(t, 3.0), (x,))
    assert tuple(F.pdist(eager.ones(1, 3)).shape) == (0,)
    for shape, p in [((2, 3, 4), 2.0), ((3, 2), -1.0), ((3,), 2.0)]:
        a = np.ones(shape, np.float32)
        assert_same_error(RuntimeError, lambda a=a, p=p: F.pdist(eager.tensor(a), p),
                          lambda a=a, p=p: TF.pdist(torch.tensor(a), p))


@pytest.mark.parametrize("kwargs", [{}, {"margin": 2.0, "swap": True}, {"reduction": "none"},
                                    {"reduction": "sum", "swap": True}])
def test_triplet_margin_with_distance_loss_matches_torch(kwargs):
    xs = [randn(6, 4, seed=s) for s in range(3)]
    run_both(lambda a, b, c: F.triplet_margin_with_distance_loss(a, b, c, **kwargs),
             lambda a, b, c: TF.triplet_margin_with_distance_loss(a, b, c, **kwargs), xs, torch)
    assert_module_matches_torch(torch, "TripletMarginWithDistanceLoss", (), kwargs, xs)

    def cosine(lib):
        return lambda u, v: 1.0 - lib.nn.functional.cosine_similarity(u, v)

    run_both(lambda a, b, c: nn.TripletMarginWithDistanceLoss(distance_function=cosine(eager),
                                                              **kwargs)(a, b, c),
             lambda a, b, c: torch.nn.TripletMarginWithDistanceLoss(
                 distance_function=cosine(torch), **kwargs)(a, b, c), xs, torch)
    assert repr(nn.TripletMarginWithDistanceLoss(distance_function=cosine(eager))) == \
        repr(torch.nn.TripletMarginWithDistanceLoss(distance_function=cosine(torch)))


def test_triplet_margin_with_distance_loss_errors_are_torch_s():
    a, b = np.ones((2, 3), np.float32), np.ones((3,), np.float32)
    assert_same_error(ValueError, lambda: nn.TripletMarginWithDistanceLoss(margin=0.0),
                      lambda: torch.nn.TripletMarginWithDistanceLoss(margin=0.0))
    for kwargs in ({"margin": -1.0}, {"reduction": "avg"}):
        assert_same_error(ValueError, lambda kw=kwargs: F.triplet_margin_with_distance_loss(
            *(eager.tensor(a),) * 3, **kw), lambda kw=kwargs: TF.triplet_margin_with_distance_loss(
            *(torch.tensor(a),) * 3, **kw))
    assert_same_error(RuntimeError, lambda: F.triplet_margin_with_distance_loss(
        eager.tensor(a), eager.tensor(a), eager.tensor(b)),
        lambda: TF.triplet_margin_with_distance_loss(torch.tensor(a), torch.tensor(a),
                                                     torch.tensor(b)))


@pytest.mark.parametrize("shape,groups", [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((4, 2, 3, 2, 3), 2),
                                          ((3, 5, 3), 3)])
def test_dirac_matches_torch(shape, groups):
    ours = nn.init.dirac_(eager.empty(*shape), groups)
    theirs = torch.nn.init.dirac_(torch.empty(*shape), groups)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    # The identity: a same-padded convolution with it returns its input channels.
    x = randn(1, shape[1] * groups, *(5,) * (len(shape) - 2))
    if len(shape) == 4 and shape[0] // groups <= shape[1]:
        y = F.conv2d(eager.tensor(x), ours, padding="same", groups=groups)
        np.testing.assert_allclose(y.numpy()[0, 0], x[0, 0])


def test_dirac_errors_are_torch_s():
    for shape, groups in [((2, 2), 1), ((3, 2, 3), 2)]:
        assert_same_error(ValueError, lambda s=shape, g=groups: nn.init.dirac_(eager.empty(*s), g),
                          lambda s=shape, g=groups: torch.nn.init.dirac_(torch.empty(*s), g))


@pytest.mark.parametrize("name,kwargs,shape", [
    ("upsample", {"scale_factor": 2}, (1, 2, 3, 3)),
    ("upsample", {"size": (5, 4), "mode": "bilinear", "align_corners": False}, (1, 2, 3, 3)),
    ("upsample_nearest", {"size": 7}, (2, 3, 4)),
    ("upsample_bilinear", {"scale_factor": 2}, (1, 2, 3, 4)),
])
def test_deprecated_upsample_aliases_warn_and_interpolate_as_torch(name, kwargs, shape):
    message = f"`nn.functional.{name}` is deprecated"
    with pytest.warns(UserWarning, match=message):
        TF_out = getattr(TF, name)(torch.tensor(randn(*shape)), **kwargs)
    with pytest.warns(UserWarning, match=message) as record:
        run_both(lambda t: getattr(F, name)(t, **kwargs), lambda t: TF_out,
                 [randn(*shape)], torch, grad=False)
    assert record[0].filename == __file__  # the warning names the caller, as torch's


def test_new_functions_and_layers_have_torch_s_signatures_and_reprs():
    for name in ("lp_pool1d", "lp_pool2d", "lp_pool3d", "triplet_margin_with_distance_loss",
                 "upsample", "upsample_nearest", "upsample_bilinear"):
        assert _params(getattr(F, name)) == _params(getattr(TF, name)), name
    assert _params(nn.init.dirac_) == _params(torch.nn.init.dirac_)
    for name, args in [("ChannelShuffle", (3,)), ("LPPool2d", (2, 3)), ("LPPool1d", (1.5, 3, 2)),
                       ("InstanceNorm3d", (4,)), ("ReflectionPad3d", (2,)),
                       ("ConstantPad3d", (1, 0.5)), ("TripletMarginWithDistanceLoss", ())]:
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.channel_shuffle(eager.ones(1, 4, 2), 2)  # no warning on the plain path


@pytest.mark.parametrize("name,padding,shape", [
    ("ReflectionPad3d", 3, (2, 3, 2, 2, 2)),
    ("ReflectionPad3d", (1, 1, 1, 1, 0, 3), (2, 3, 2, 2, 2)),
    ("ReflectionPad2d", (1, 1, 3, 0), (2, 3, 2, 2)), ("ReflectionPad1d", 3, (2, 3, 2)),
    ("CircularPad3d", 3, (2, 3, 2, 2, 2)), ("ReplicationPad3d", 1, (2, 2, 2)),
])
def test_padding_errors_are_torch_s(name, padding, shape):
    x = np.ones(shape, np.float32)
    error = NotImplementedError if len(shape) == 3 and name.endswith("3d") else RuntimeError
    assert_same_error(error, lambda: getattr(nn, name)(padding)(eager.tensor(x)),
                      lambda: getattr(torch.nn, name)(padding)(torch.tensor(x)))
