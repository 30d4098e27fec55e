"""The padding layers, Upsample (and its nearest/bilinear forms), PixelShuffle/PixelUnshuffle
and InstanceNorm1d/2d against torch: outputs and gradients, printing, state dict keys and
buffers, running statistics, and errors."""


import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_modules

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

MODULES = [
    ("ZeroPad2d", (2,), {}, (2, 3, 4, 5)), ("ZeroPad2d", ((1, 2, 3, 4),), {}, (3, 4, 5)),
    ("ZeroPad1d", (3,), {}, (2, 3, 4)), ("ConstantPad1d", (2, 3.5), {}, (2, 3, 4)),
    ("ConstantPad2d", ((1, 0, 2, 0), 1.0), {}, (2, 3, 4, 5)),
    ("ReflectionPad1d", (2,), {}, (2, 3, 5)), ("ReflectionPad2d", (1,), {}, (2, 3, 4, 5)),
    ("ReflectionPad2d", ((2, 1, 0, 3),), {}, (3, 4, 5)),
    ("ReplicationPad1d", ((1, 2),), {}, (2, 3, 4)), ("ReplicationPad2d", (2,), {}, (2, 3, 4, 5)),
    ("CircularPad1d", (1,), {}, (2, 3, 4)), ("CircularPad2d", ((1, 2, 2, 1),), {}, (2, 3, 4, 5)),
    ("Upsample", (), {"scale_factor": 2}, (2, 3, 4, 5)),
    ("Upsample", (), {"size": (5, 7), "mode": "bilinear", "align_corners": True}, (2, 3, 4, 5)),
    ("Upsample", (), {"scale_factor": 1.5, "mode": "bilinear"}, (2, 3, 4, 6)),
    ("Upsample", (), {"scale_factor": 2, "mode": "linear"}, (2, 3, 5)),
    ("PixelShuffle", (2,), {}, (2, 8, 3, 4)), ("PixelShuffle", (3,), {}, (9, 2, 2)),
    ("PixelUnshuffle", (2,), {}, (2, 2, 4, 6)),
    ("InstanceNorm1d", (3,), {}, (2, 3, 5)), ("InstanceNorm1d", (3,), {"affine": True}, (3, 6)),
    ("InstanceNorm2d", (4,), {"affine": True}, (2, 4, 3, 5)),
    ("InstanceNorm2d", (4,), {"track_running_stats": True, "momentum": 0.3}, (3, 4, 3, 5)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, kwargs, shape):
    assert_module_matches_torch(torch, name, args, kwargs, [randn(*shape)])


@pytest.mark.filterwarnings("ignore:nn.Upsampling")  # torch's deprecation notes
@pytest.mark.parametrize("name,kwargs", [("UpsamplingNearest2d", {"scale_factor": 2}),
                                         ("UpsamplingBilinear2d", {"size": 5})])
def test_upsampling_layers_match_torch(name, kwargs):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    run_modules(ours, theirs, [randn(2, 3, 4, 4)], torch)


def test_instance_norm_running_statistics_and_eval_match_torch():
    ours = nn.InstanceNorm2d(4, affine=True, track_running_stats=True, momentum=0.2)
    theirs = torch.nn.InstanceNorm2d(4, affine=True, track_running_stats=True, momentum=0.2)
    for seed in range(3):
        x = randn(3, 4, 5, 5, seed=seed) * (seed + 1) + seed
        ours(eager.tensor(x))
        theirs(torch.tensor(x))
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-5,
                                   atol=1e-6, err_msg=key)
    ours.eval()
    theirs.eval()
    x = randn(2, 4, 3, 3, seed=7)
    np.testing.assert_allclose(ours(eager.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("call,error,message", [
    (lambda lib: lib.nn.InstanceNorm2d(3)(lib.ones(3, 4)), ValueError,
     r"expected 3D or 4D input \(got 2D input\)"),
    (lambda lib: lib.nn.InstanceNorm1d(3)(lib.ones(3)), ValueError,
     r"expected 2D or 3D input \(got 1D input\)"),
    (lambda lib: lib.nn.PixelShuffle(2)(lib.ones(1, 3, 2, 2)), RuntimeError,
     "divisible by the square of upscale_factor, but input.size\\(-3\\)=3 is not divisible by 4"),
    (lambda lib: lib.nn.InstanceNorm2d(4, affine=True)(lib.ones(2, 3, 4, 4)), ValueError,
     "expected input's size at dim=1 to match num_features"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib)


def test_instance_norm_warns_as_torch_when_channels_differ_without_affine():
    for lib in (torch, eager):
        with pytest.warns(UserWarning, match="input's size at dim=1 does not match num_features"):
            lib.nn.InstanceNorm2d(3)(lib.ones(2, 4, 5, 5))
