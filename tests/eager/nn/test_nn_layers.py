"""Layers: reprs, initial weight distributions, forward/backward against torch, dropout."""

import math

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F

LAYERS = [
    ("Linear", (10, 5), {}),
    ("Linear", (3, 2), {"bias": False}),
    ("Conv2d", (3, 16, 3), {"padding": 1}),
    ("Conv2d", (4, 8, (3, 5)), {"stride": 2, "dilation": (1, 2), "groups": 2, "bias": False}),
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", (3, 1, 1), {}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1}),
    ("Flatten", (), {}),
    ("Dropout", (0.2,), {}),
    ("Embedding", (100, 8), {}),
    ("LayerNorm", (10,), {}),
    ("LayerNorm", ((2, 3),), {"elementwise_affine": False}),
    ("RNNCell", (10, 20), {}),
    ("RNNCell", (10, 20), {"nonlinearity": "relu", "bias": False}),
    ("GRUCell", (10, 20), {}),
    ("LSTMCell", (10, 20), {}),
    ("ReLU", (), {}),
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
    ("GELU", (), {}),
    ("GELU", (), {"approximate": "tanh"}),
    ("Softmax", (), {"dim": 1}),
    ("LogSoftmax", (), {"dim": -1}),
    ("Identity", (), {}),
    ("MSELoss", (), {}),
    ("BCELoss", (), {}),
    ("BCEWithLogitsLoss", (), {}),
    ("CrossEntropyLoss", (), {}),
    ("NLLLoss", (), {"reduction": "sum"}),
]


@pytest.mark.parametrize("name,args,kwargs", LAYERS, ids=lambda v: str(v))
def test_repr_matches_torch(name, args, kwargs):
    torch = pytest.importorskip("torch")
    ours = getattr(nn, name)(*args, **kwargs)
    theirs = getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for (n, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert p.shape == tuple(q.shape), n


def test_linear_and_conv_initial_weights_follow_pytorchs_bounds():
    eager.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight, lin.bias):
        a = p.detach().numpy()
        assert a.dtype == np.float32
        assert np.abs(a).max() <= bound
        assert np.abs(a).max() > 0.95 * bound
    # U(-b, b) has variance b^2 / 3.
    assert abs(lin.weight.detach().numpy().var() - bound ** 2 / 3) < 0.05 * bound ** 2 / 3
    conv = nn.Conv2d(8, 16, 3)
    bound = 1 / math.sqrt(8 * 9)
    assert np.abs(conv.weight.detach().numpy()).max() <= bound
    assert np.abs(conv.bias.detach().numpy()).max() <= bound
    cell = nn.LSTMCell(4, 25)
    assert all(np.abs(p.detach().numpy()).max() <= 0.2 for p in cell.parameters())
    emb = nn.Embedding(1000, 50)
    assert abs(emb.weight.detach().numpy().std() - 1) < 0.02
    ln = nn.LayerNorm(6)
    assert (ln.weight.detach().numpy() == 1).all() and (ln.bias.detach().numpy() == 0).all()


def test_initialization_is_seeded_by_manual_seed():
    eager.manual_seed(7)
    a = nn.Linear(5, 3).weight.detach().numpy().copy()
    eager.manual_seed(7)
    b = nn.Linear(5, 3).weight.detach().numpy().copy()
    c = nn.Linear(5, 3).weight.detach().numpy().copy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(b, c)


def test_init_functions():
    w = eager.zeros(30, 40)
    nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain("tanh"))
    bound = 5 / 3 * math.sqrt(6 / 70)
    assert np.abs(w.numpy()).max() <= bound
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.numpy().std() - math.sqrt(2 / 40)) < 0.02
    nn.init.constant_(w, 0.5)
    assert (w.numpy() == 0.5).all()
    version = w._version
    nn.init.trunc_normal_(w, std=3.0, a=-1.0, b=1.0)
    assert np.abs(w.numpy()).max() <= 1.0 and w._version > version
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_normal_(eager.zeros(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        nn.init.calculate_gain("swish")


def test_dtype_keyword_and_cpu_device():
    lin = nn.Linear(2, 3, dtype=eager.float64, device="cpu")
    assert lin.weight.dtype == np.float64 and lin.bias.dtype == np.float64
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        nn.Linear(2, 3, device="cuda")  # what PyTorch without CUDA raises


# --- forward and backward against torch ------------------------------------------------------
CASES = [
    ("Linear", (6, 4), {}, (3, 6)),
    ("Linear", (6, 4), {"bias": False}, (2, 5, 6)),
    ("Conv2d", (3, 4, 3), {"padding": 1, "stride": 2}, (2, 3, 7, 7)),
    ("Conv2d", (4, 6, 3), {"groups": 2, "dilation": 2, "padding": "same"}, (1, 4, 9, 9)),
    ("MaxPool2d", (2,), {}, (2, 3, 6, 6)),
    ("MaxPool2d", (3,), {"stride": 2, "padding": 1}, (1, 2, 7, 7)),
    ("AvgPool2d", (2,), {}, (2, 3, 6, 6)),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False}, (1, 2, 7, 7)),
    ("Flatten", (), {}, (2, 3, 4)),
    ("LayerNorm", (5,), {}, (3, 5)),
    ("LayerNorm", ((2, 5),), {"elementwise_affine": False}, (3, 2, 5)),
    ("ReLU", (), {}, (4, 5)),
    ("Sigmoid", (), {}, (4, 5)),
    ("Tanh", (), {}, (4, 5)),
    ("GELU", (), {}, (4, 5)),
    ("GELU", (), {"approximate": "tanh"}, (4, 5)),
    ("Softmax", (), {"dim": 1}, (4, 5)),
    ("LogSoftmax", (), {"dim": 0}, (4, 5)),
]


def _copy_params(ours, theirs, torch):
    with torch.no_grad():
        for (_n, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                  strict=True):
            q.copy_(torch.from_numpy(p.detach().numpy().copy()))


@pytest.mark.parametrize("name,args,kwargs,shape", CASES, ids=lambda v: str(v))
def test_layer_forward_and_backward_match_torch(name, args, kwargs, shape):
    torch = pytest.importorskip("torch")
    ours = getattr(nn, name)(*args, **kwargs).double()
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    _copy_params(ours, theirs, torch)
    x = np.random.default_rng(0).standard_normal(shape)
    xe = eager.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ye, yt = ours(xe), theirs(xt)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-6, atol=1e-10)
    g = np.random.default_rng(1).standard_normal(yt.shape)
    ye.backward(eager.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-6, atol=1e-10)
    for (n, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6, atol=1e-10,
                                   err_msg=n)


def test_embedding_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Embedding(10, 3).double(), torch.nn.Embedding(10, 3).double()
    _copy_params(ours, theirs, torch)
    idx = np.array([[1, 2, 2], [9, 0, 1]])
    ye, yt = ours(eager.from_numpy(idx)), theirs(torch.from_numpy(idx))
    np.testing.assert_array_equal(ye.detach().numpy(), yt.detach().numpy())
    ye.sum().backward()
    yt.sum().backward()
    np.testing.assert_array_equal(ours.weight.grad.numpy(), theirs.weight.grad.numpy())


@pytest.mark.parametrize("kind", ["RNNCell", "GRUCell", "LSTMCell"])
def test_unbatched_cell_input_and_default_state(kind):
    cell = getattr(nn, kind)(3, 4)
    x = eager.randn(3)
    out = cell(x)
    h = out[0] if kind == "LSTMCell" else out
    assert h.shape == (4,)
    batched = cell(eager.stack([x]))
    hb = batched[0] if kind == "LSTMCell" else batched
    np.testing.assert_allclose(hb.detach().numpy()[0], h.detach().numpy(), rtol=1e-6)


# --- dropout ---------------------------------------------------------------------------------
def test_dropout_scales_survivors_and_is_identity_in_eval():
    drop = nn.Dropout(0.25)
    x = eager.ones(200, 100)
    y = drop(x).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    assert abs(kept.mean() - 0.75) < 0.01
    drop.eval()
    assert drop(x) is x
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


def test_dropout_draws_a_fresh_seeded_mask_each_call():
    drop = nn.Dropout(0.5)
    x = eager.ones(50)
    eager.manual_seed(3)
    first, second = drop(x).numpy().copy(), drop(x).numpy().copy()
    assert not np.array_equal(first, second)
    eager.manual_seed(3)
    np.testing.assert_array_equal(drop(x).numpy(), first)


def test_dropout_gradient_uses_the_same_mask():
    x = eager.ones(30, requires_grad=True)
    y = nn.Dropout(0.5)(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())


def test_unsupported_pytorch_options_are_refused_not_ignored():
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq"):  # (sparse=True works)
        nn.Embedding(3, 2, scale_grad_by_freq=True)
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.MSELoss(reduction="avg")
