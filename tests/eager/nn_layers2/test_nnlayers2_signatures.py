"""Every layer and function added for F18/F23 exists under torch's name with torch's parameters
(names, defaults, kinds), so keyword calls written for PyTorch work unchanged."""

import inspect

import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

LAYERS = ["MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AlphaDropout", "FeatureAlphaDropout",
          "RReLU", "ChannelShuffle", "LPPool1d", "LPPool2d", "LPPool3d", "InstanceNorm1d",
          "InstanceNorm2d", "InstanceNorm3d", "ZeroPad3d", "ConstantPad3d", "ReflectionPad3d",
          "ReplicationPad3d", "CircularPad3d", "TripletMarginWithDistanceLoss",
          "AdaptiveLogSoftmaxWithLoss", "FractionalMaxPool2d", "FractionalMaxPool3d",
          "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
          "AdaptiveMaxPool3d"]
FUNCTIONS = ["max_unpool1d", "max_unpool2d", "max_unpool3d", "alpha_dropout",
             "feature_alpha_dropout", "rrelu", "lp_pool1d", "lp_pool2d", "lp_pool3d",
             "triplet_margin_with_distance_loss", "upsample", "upsample_nearest",
             "upsample_bilinear", "max_pool3d_with_indices", "adaptive_max_pool1d_with_indices",
             "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices",
             "fractional_max_pool2d_with_indices", "fractional_max_pool3d_with_indices"]
# torch's own signatures are (*args, **kwargs) for these; eager lists its documented parameters.
NO_TORCH_SIGNATURE = ["pdist", "channel_shuffle", "native_channel_shuffle", "rrelu_",
                      "fractional_max_pool2d", "fractional_max_pool3d"]


def _params(fn):
    return [(p.name, p.default, p.kind) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", LAYERS)
def test_layer_constructor_has_torch_s_parameters(name):
    assert _params(getattr(nn, name)) == _params(getattr(torch.nn, name))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_has_torch_s_parameters(name):
    assert _params(getattr(F, name)) == _params(getattr(torch.nn.functional, name))


@pytest.mark.parametrize("name", NO_TORCH_SIGNATURE)
def test_functions_torch_gives_no_signature_exist(name):
    assert callable(getattr(F, name)) and callable(getattr(torch.nn.functional, name))
    assert name in F.__all__


def _grad_fn_names(lib):
    F_ = lib.nn.functional
    x = lib.ones(1, 4, 4, 4, requires_grad=True)
    v, i = F_.max_pool2d(x, 2, return_indices=True)
    v1, i1 = F_.max_pool1d(x[0], 2, return_indices=True)
    v3, i3 = F_.max_pool3d(x[None], 2, return_indices=True)
    outs = [F_.max_unpool2d(v, i, 2), F_.max_unpool1d(v1, i1, 2), F_.max_unpool3d(v3, i3, 2),
            F_.adaptive_max_pool2d(x, 2, True)[0], F_.adaptive_max_pool1d(x[0], 2, True)[0],
            F_.adaptive_max_pool3d(x[None], 2, True)[0],
            F_.fractional_max_pool2d(x, 2, output_size=2),
            F_.fractional_max_pool3d(x[None], 2, output_size=2), F_.channel_shuffle(x, 2),
            F_.pdist(x[0, 0]), F_.pdist(x[0, 0], 0.5), F_.rrelu(x, training=True), F_.rrelu(x),
            F_.avg_pool2d(x, 3, 2, 1, ceil_mode=True)]
    return [type(out.grad_fn).__name__ for out in outs]


def test_backward_nodes_are_named_as_torch_s():
    assert _grad_fn_names(eager) == _grad_fn_names(torch)
