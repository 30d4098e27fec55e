"""Every new eager.nn layer traces into a static graph (unknown batch size) and the graph
computes what eager computes."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F

static = pytest.importorskip("static")


class Call(nn.Module):
    """A functional call as a module, so that it can be traced like one."""

    def __init__(self, fn, *modules):
        super().__init__()
        self.fn = fn
        self.parts = nn.ModuleList(modules)

    def forward(self, *xs):
        return self.fn(*xs)


def _x(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _check(module, *arrays, batch_axis=0, rtol=1e-5, atol=1e-6):
    specs = [((*a.shape[:batch_axis], None, *a.shape[batch_axis + 1:]), a.dtype)
             for a in arrays]
    traced = static.trace(module, *specs)
    ours = traced(*arrays)
    with eager.no_grad():
        theirs = module(*[eager.from_numpy(a) for a in arrays])
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    flat = [t for t in theirs if t is not None]
    flat = [u for t in flat for u in (t if isinstance(t, tuple) else (t,))]
    # A traced call returns the module's structure ((out, (h, c)) for an LSTM): flatten it too.
    ours = [u for t in ours if t is not None for u in (t if isinstance(t, tuple) else (t,))]
    assert len(ours) == len(flat)
    for a, b in zip(ours, flat, strict=True):
        np.testing.assert_allclose(a, b.numpy(), rtol=rtol, atol=atol)


ACTIVATIONS = ["SiLU", "Mish", "LeakyReLU", "ELU", "SELU", "Softplus", "Hardtanh", "ReLU6",
               "LogSigmoid"]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_modules_trace(name):
    _check(getattr(nn, name)(), _x(4, 5) * 3)


@pytest.mark.parametrize("module", [
    lambda: nn.L1Loss(), lambda: nn.SmoothL1Loss(beta=0.5), lambda: nn.HuberLoss(delta=0.7),
    lambda: nn.CosineSimilarity(), lambda: nn.PairwiseDistance(),
    lambda: Call(lambda a, b: F.kl_div(F.log_softmax(a, 1), F.softmax(b, 1),
                                       reduction="batchmean")),
], ids=["l1", "smooth_l1", "huber", "cosine", "pairwise", "kl_div"])
def test_two_input_losses_and_distances_trace(module):
    _check(module(), _x(4, 5), _x(4, 5, seed=1))


@pytest.mark.parametrize("fn", [
    lambda x: F.pad(x, (1, 2, 2, 0), mode="reflect"),
    lambda x: F.pad(x, (1, 2, 0, 1), mode="replicate"),
    lambda x: F.pad(x, (2, 1, 1, 1), mode="circular"),
    lambda x: F.pad(x, (1, -1), value=2.0),
    lambda x: F.interpolate(x, scale_factor=2),
    lambda x: F.interpolate(x, size=(5, 3), mode="bilinear", align_corners=False),
    lambda x: F.normalize(x, dim=1),
    lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
    lambda x: F.scaled_dot_product_attention(x, x, x, is_causal=True),
], ids=["reflect", "replicate", "circular", "constant", "nearest", "bilinear", "normalize",
        "max_pool_indices", "sdpa"])
def test_functions_trace(fn):
    _check(Call(fn), _x(2, 3, 4, 5))


def test_one_hot_traces_with_num_classes():
    idx = np.array([[0, 2], [1, 1]], np.int64)
    _check(Call(lambda t: F.one_hot(t, 3)), idx)


@pytest.mark.parametrize("name", ["Dropout1d", "Dropout2d", "Dropout3d"])
def test_channel_dropout_traces_in_eval_mode(name):
    shape = {"Dropout1d": (2, 3, 4), "Dropout2d": (2, 3, 4, 4), "Dropout3d": (2, 3, 2, 2, 2)}
    _check(getattr(nn, name)(0.5).eval(), _x(*shape[name]))


def test_channel_dropout_traces_in_training_mode():
    traced = static.trace(nn.Dropout2d(0.5), static.TensorSpec((None, 6, 3, 3)))
    y = traced(np.ones((4, 6, 3, 3), np.float32))
    assert set(np.unique(y)) <= {0.0, 2.0} and (y == y[:, :, :1, :1]).all()


def test_unflatten_embedding_and_maxpool_trace():
    _check(nn.Unflatten(1, (2, 3)), _x(4, 6))
    emb = nn.Embedding(5, 3, padding_idx=1)
    _check(emb, np.array([[0, 1], [4, 1]], np.int64))
    _check(nn.MaxPool2d(2, ceil_mode=True, return_indices=True), _x(2, 3, 5, 5))


@pytest.mark.parametrize("options", [{}, {"batch_first": True, "kdim": 3, "vdim": 5},
                                     {"add_bias_kv": True, "add_zero_attn": True}])
def test_multihead_attention_traces(options):
    eager.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, **options)
    bf = options.get("batch_first", False)
    q = _x(2, 4, 8) if bf else _x(4, 2, 8)
    k = _x(2, 3, options.get("kdim", 8), seed=1)
    v = _x(2, 3, options.get("vdim", 8), seed=2)
    if not bf:
        k, v = k.transpose(1, 0, 2).copy(), v.transpose(1, 0, 2).copy()
    _check(mha, q, k, v, batch_axis=0 if bf else 1)


@pytest.mark.parametrize("make", [
    lambda: nn.TransformerEncoderLayer(8, 2, 16, batch_first=True),
    lambda: nn.TransformerEncoderLayer(8, 2, 16, norm_first=True, activation="gelu",
                                       batch_first=True),
], ids=["post_norm", "pre_norm_gelu"])
def test_transformer_encoder_layer_traces(make):
    eager.manual_seed(0)
    _check(make().eval(), _x(2, 5, 8), rtol=1e-4, atol=1e-5)


def test_transformer_decoder_layer_and_whole_transformer_trace():
    eager.manual_seed(0)
    _check(nn.TransformerDecoderLayer(8, 2, 16, batch_first=True).eval(), _x(2, 4, 8),
           _x(2, 5, 8, seed=1), rtol=1e-4, atol=1e-5)
    model = nn.Transformer(8, 2, 1, 1, 16, batch_first=True).eval()
    _check(model, _x(2, 5, 8), _x(2, 4, 8, seed=1), rtol=1e-4, atol=1e-5)


def test_batchnorm_traces_in_eval_mode_and_without_running_stats():
    bn = nn.BatchNorm2d(3)
    bn(eager.tensor(_x(4, 3, 2, 2)))  # one training step: running stats away from 0 and 1
    _check(bn.eval(), _x(4, 3, 2, 2, seed=1))
    _check(nn.BatchNorm1d(3, track_running_stats=False), _x(4, 3, seed=2))
    with pytest.raises(NotImplementedError, match="trace the module in eval mode"):
        static.trace(nn.BatchNorm1d(3), static.TensorSpec((None, 3)))


@pytest.mark.parametrize("kind", ["GRU", "LSTM", "RNN"])
def test_bidirectional_stacked_rnns_trace(kind):
    eager.manual_seed(0)
    rnn = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    _check(rnn, _x(2, 5, 3))


def test_bidirectional_gru_traces_with_unknown_length():
    eager.manual_seed(0)
    gru = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    traced = static.trace(gru, static.TensorSpec((None, 2, 3)))
    x = _x(6, 2, 3)
    out, h = traced(x)
    with eager.no_grad():
        e_out, e_h = gru(eager.tensor(x))
    np.testing.assert_allclose(out, e_out.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, e_h.numpy(), rtol=1e-5, atol=1e-6)
