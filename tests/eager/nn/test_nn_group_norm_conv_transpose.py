"""GroupNorm, ConvTranspose2d and nn.utils.rnn's pad_sequence/unpad_sequence against torch:
outputs and every gradient (parameters included), printing, state dict keys and errors."""


import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_both, run_modules

import eager
import eager.nn as nn
import eager.nn.functional as F
from eager.nn.utils.rnn import pad_sequence, unpad_sequence

torch = pytest.importorskip("torch")

MODULES = [
    ("GroupNorm", (3, 6), {}, (2, 6, 3, 4)),
    ("GroupNorm", (1, 4), {"eps": 1e-3}, (3, 4, 5)),
    ("GroupNorm", (4, 4), {"affine": False}, (2, 4, 2, 2, 2)),
    ("GroupNorm", (2, 4), {"bias": False}, (5, 4)),
    ("ConvTranspose2d", (8, 4, 4, 2, 1), {"bias": False}, (2, 8, 3, 3)),
    ("ConvTranspose2d", (8, 4, 3), {}, (2, 8, 5, 5)),
    ("ConvTranspose2d", (8, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1,
                                    "groups": 2, "dilation": 2}, (2, 8, 4, 5)),
    ("ConvTranspose2d", (6, 3, (2, 3)), {"stride": (2, 1)}, (6, 4, 4)),
    ("ConvTranspose1d", (4, 2, 3), {"stride": 2, "padding": 1, "output_padding": 1,
                                    "groups": 2, "dilation": 2}, (2, 4, 5)),
    ("ConvTranspose1d", (4, 2, 3), {}, (4, 6)),
    ("ConvTranspose1d", (3, 5, 4), {"stride": 3, "bias": False}, (2, 3, 4)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, kwargs, shape):
    assert_module_matches_torch(torch, name, args, kwargs, [randn(*shape)])


def test_group_norm_starts_as_torchs_and_init_bounds_of_conv_transpose():
    norm = nn.GroupNorm(2, 4)
    assert norm.weight.tolist() == [1.0] * 4 and norm.bias.tolist() == [0.0] * 4
    conv = nn.ConvTranspose2d(4, 6, 3, groups=2)
    bound = 1 / np.sqrt(3 * 9)  # fan in: the weight's dim 1 (out / groups) times the kernel
    assert np.abs(conv.weight.detach().numpy()).max() <= bound
    assert np.abs(conv.bias.detach().numpy()).max() <= bound


def test_functional_forms_match_torch():
    run_both(lambda x, w, b: F.group_norm(x, 2, w, b),
             lambda x, w, b: torch.nn.functional.group_norm(x, 2, w, b),
             [randn(3, 4, 5), randn(4, seed=1), randn(4, seed=2)], torch)
    run_both(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1),
             lambda x, w, b: torch.nn.functional.conv_transpose2d(x, w, b, stride=2, padding=1),
             [randn(2, 3, 4, 4), randn(3, 5, 3, 3, seed=1), randn(5, seed=2)], torch)


@pytest.mark.parametrize("name", ["max_pool1d_with_indices", "max_pool2d_with_indices"])
def test_max_pool_with_indices_match_torch(name):
    x = randn(1, 2, 5, 5) if name.startswith("max_pool2d") else randn(2, 3, 9)
    ours = getattr(F, name)(eager.tensor(x), 2)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x), 2)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("size", [[1, 4, 8, 8], [7, 7], [8, 8]])
def test_conv_transpose_output_size_picks_output_padding_as_torch(size):
    ours, theirs = nn.ConvTranspose2d(4, 2, 3, stride=2), torch.nn.ConvTranspose2d(4, 2, 3, 2)
    run_modules(ours, theirs, [randn(1, 4, 3, 3)], torch,
                call=lambda m, x: m(x, output_size=size))


@pytest.mark.parametrize("call,error", [
    (lambda lib: lib.nn.GroupNorm(3, 8), ValueError),
    (lambda lib: lib.nn.functional.group_norm(lib.ones(2, 8, 3), 3), RuntimeError),
    (lambda lib: lib.nn.functional.group_norm(lib.ones(8), 2), RuntimeError),
    (lambda lib: lib.nn.ConvTranspose2d(3, 4, 3, groups=2), ValueError),
    (lambda lib: lib.nn.ConvTranspose2d(8, 4, 3, stride=2)(lib.ones(1, 8, 3, 3),
                                                           output_size=[9, 9]), ValueError),
    (lambda lib: lib.nn.functional.conv_transpose2d(lib.ones(1, 8, 3, 3), lib.ones(4, 4, 3, 3)),
     RuntimeError),
    (lambda lib: lib.nn.functional.conv_transpose2d(lib.ones(1, 4, 3, 3), lib.ones(4, 4, 3, 3),
                                                    stride=2, output_padding=2), RuntimeError),
])
def test_errors_are_torchs(call, error):
    with pytest.raises(error) as theirs:
        call(torch)
    with pytest.raises(error) as ours:
        call(eager)
    assert str(ours.value).split(":")[0] == str(theirs.value).split(":")[0]


@pytest.mark.parametrize("kwargs", [{}, {"batch_first": True}, {"padding_value": -1.5},
                                    {"batch_first": True, "padding_side": "left"}])
def test_pad_sequence_matches_torch_with_gradients(kwargs):
    inputs = [randn(2, 3), randn(4, 3, seed=1), randn(1, 3, seed=2)]
    run_both(lambda *xs: pad_sequence(list(xs), **kwargs),
             lambda *xs: torch.nn.utils.rnn.pad_sequence(list(xs), **kwargs), inputs, torch)


def test_pad_sequence_of_a_tensor_and_unpad_sequence_match_torch():
    x = randn(2, 3)
    assert pad_sequence(eager.tensor(x)).tolist() == \
        torch.nn.utils.rnn.pad_sequence(torch.tensor(x)).tolist()
    seqs = [randn(2, 3), randn(4, 3, seed=1)]
    for batch_first in (False, True):
        padded = pad_sequence([eager.tensor(s) for s in seqs], batch_first=batch_first)
        back = unpad_sequence(padded, eager.tensor([2, 4]), batch_first=batch_first)
        assert [b.tolist() for b in back] == [s.tolist() for s in seqs]


@pytest.mark.parametrize("sequences,kwargs,message", [
    ([], {}, "received an empty list of sequences"),
    ([np.ones((2, 3))], {"padding_side": "middle"}, "Expected padding_side to be one of"),
])
def test_pad_sequence_errors_are_torchs(sequences, kwargs, message):
    for lib, pad in ((torch, torch.nn.utils.rnn.pad_sequence), (eager, pad_sequence)):
        with pytest.raises(RuntimeError, match=message):
            pad([lib.tensor(s) for s in sequences], **kwargs)
