"""After the same seed, every layer's initial parameters equal PyTorch's (the draws, their
order and their count), and so do the ``nn.init`` functions."""

import math

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

LAYERS = {
    "Linear": lambda nn: nn.Linear(3, 2),
    "LinearNoBias": lambda nn: nn.Linear(5, 4, bias=False),
    "Conv1d": lambda nn: nn.Conv1d(3, 4, 3),
    "Conv2d": lambda nn: nn.Conv2d(3, 8, 3, padding=1),
    "Conv2dGroups": lambda nn: nn.Conv2d(4, 8, 3, groups=2),
    "ConvTranspose2d": lambda nn: nn.ConvTranspose2d(3, 5, 2),
    "Embedding": lambda nn: nn.Embedding(10, 4),
    "EmbeddingPadding": lambda nn: nn.Embedding(10, 4, padding_idx=1),
    "RNN": lambda nn: nn.RNN(4, 5, num_layers=2),
    "LSTM": lambda nn: nn.LSTM(4, 5, num_layers=2, bidirectional=True),
    "GRU": lambda nn: nn.GRU(4, 5, batch_first=True),
    "Cells": lambda nn: nn.ModuleList([nn.RNNCell(3, 4), nn.LSTMCell(3, 4), nn.GRUCell(3, 4)]),
    "Norms": lambda nn: nn.ModuleList([nn.LayerNorm(6), nn.BatchNorm2d(3), nn.GroupNorm(2, 4),
                                       nn.InstanceNorm2d(3, affine=True), nn.PReLU()]),
    "MultiheadAttention": lambda nn: nn.MultiheadAttention(8, 2),
    "MultiheadAttentionKV": lambda nn: nn.MultiheadAttention(8, 2, kdim=6, vdim=5),
    "EncoderLayer": lambda nn: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16),
    "Encoder": lambda nn: nn.TransformerEncoder(
        nn.TransformerEncoderLayer(8, 2, dim_feedforward=16), 2, enable_nested_tensor=False),
    "DecoderLayer": lambda nn: nn.TransformerDecoderLayer(8, 2, dim_feedforward=16),
    "Transformer": lambda nn: nn.Transformer(8, 2, 1, 1, 16, batch_first=True),
    "Sequential": lambda nn: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_parameters_equal_torchs_after_the_same_seed(name):
    torch.manual_seed(0)
    theirs = LAYERS[name](torch.nn)
    their_next = torch.rand(4).numpy()  # the stream is where PyTorch left it
    eager.manual_seed(0)
    ours = LAYERS[name](eager.nn)
    our_next = eager.rand(4).numpy()
    expected = {k: v.detach().numpy() for k, v in theirs.named_parameters()}
    got = {k: v.detach().numpy() for k, v in ours.named_parameters()}
    assert list(got) == list(expected)
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    np.testing.assert_array_equal(our_next, their_next)


INITS = [("uniform_", (5, 7), {"a": -0.5, "b": 2.0}),
         ("normal_", (40, 3), {"mean": 0.5, "std": 0.2}),
         ("normal_", (3, 4), {}),
         ("trunc_normal_", (50, 20), {"std": 0.02}),  # uniform proposals, rejection
         ("trunc_normal_", (30, 20), {}),  # redrawn normals
         ("trunc_normal_", (300,), {"mean": 0.5, "std": 2.0, "a": -0.1, "b": 0.3}),
         ("xavier_uniform_", (8, 9), {}),
         ("xavier_normal_", (30, 9), {"gain": 2.0}),
         ("kaiming_uniform_", (16, 3, 3, 3), {"a": math.sqrt(5)}),
         ("kaiming_normal_", (64, 32), {"mode": "fan_out", "nonlinearity": "relu"})]


@pytest.mark.parametrize(("name", "shape", "kwargs"), INITS)
def test_init_functions_equal_torchs(name, shape, kwargs):
    torch.manual_seed(7)
    expected = getattr(torch.nn.init, name)(torch.empty(shape), **kwargs).numpy()
    eager.manual_seed(7)
    got = getattr(eager.nn.init, name)(eager.empty(*shape), **kwargs).numpy()
    np.testing.assert_array_equal(got, expected)
    g_t, g_e = torch.Generator().manual_seed(3), eager.Generator().manual_seed(3)
    expected = getattr(torch.nn.init, name)(torch.empty(shape), generator=g_t, **kwargs).numpy()
    got = getattr(eager.nn.init, name)(eager.empty(*shape), generator=g_e, **kwargs).numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("shape", "gain"), [((5, 3), 1.0), ((3, 7), 2.0), ((4, 2, 3, 3), 1.0),
                                             ((64, 64), 1.0)])
def test_orthogonal_equals_torchs_to_within_its_qr(shape, gain):
    torch.manual_seed(0)
    expected = torch.nn.init.orthogonal_(torch.empty(shape), gain).numpy()
    their_next = torch.rand(2).numpy()
    eager.manual_seed(0)
    got = eager.nn.init.orthogonal_(eager.empty(*shape), gain).numpy()
    np.testing.assert_allclose(got, expected, atol=5e-6)  # LAPACK builds round differently
    np.testing.assert_array_equal(eager.rand(2).numpy(), their_next)


def test_sparse_equals_torchs():
    torch.manual_seed(0)
    expected = torch.nn.init.sparse_(torch.empty(10, 6), 0.3).numpy()
    eager.manual_seed(0)
    np.testing.assert_array_equal(eager.nn.init.sparse_(eager.empty(10, 6), 0.3).numpy(),
                                  expected)


def test_init_of_a_parameter_needs_no_no_grad_and_bumps_its_version():
    w = eager.nn.Parameter(eager.zeros(3, 4))
    before = w._version
    eager.nn.init.normal_(w)
    assert w._version > before and w.requires_grad and (w.numpy() != 0).all()
