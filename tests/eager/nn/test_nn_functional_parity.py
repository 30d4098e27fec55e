"""eager.nn.functional against torch.nn.functional: activations, losses, norms, one_hot, pad,
interpolate, attention and dropout variants, forward and gradients, edge points included."""

import math

import numpy as np
import pytest
from nn_parity import randn, run_both

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

# Inputs that hit the kinks exactly: 0, the hardtanh bounds, the softplus threshold.
KINKS = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 25.0, -25.0], np.float32)

ACTIVATIONS = [
    ("silu", {}), ("mish", {}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("softplus", {}),
    ("softplus", {"beta": 2.0, "threshold": 1.0}), ("hardtanh", {}),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}), ("relu6", {}), ("logsigmoid", {}),
    ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("relu", {}),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS, ids=lambda v: str(v))
def test_activations_match_torch_at_random_points_and_kinks(name, kwargs):
    x = np.concatenate([randn(30), KINKS, KINKS * 3])
    run_both(lambda t: getattr(F, name)(t, **kwargs), lambda t: getattr(TF, name)(t, **kwargs),
             [x], torch)


@pytest.mark.parametrize("name", ["silu", "mish", "leaky_relu", "elu", "hardtanh", "relu"])
def test_inplace_activations_write_into_the_input(name):
    x = eager.tensor(KINKS.copy())
    expected = getattr(TF, name)(torch.tensor(KINKS)).numpy()
    out = getattr(F, name)(x, inplace=True)
    assert out is x
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-6, atol=1e-7)
    # On a recorded tensor the graph is rebased, as PyTorch's in-place ops do.
    a, b = eager.tensor(KINKS.copy(), requires_grad=True), torch.tensor(KINKS, requires_grad=True)
    ya, yb = a * 2.0, b * 2.0
    getattr(F, name)(ya, inplace=True).sum().backward()
    getattr(TF, name)(yb, inplace=True).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-5, atol=1e-6)


LOSSES = [
    ("l1_loss", {}), ("l1_loss", {"reduction": "sum"}), ("l1_loss", {"reduction": "none"}),
    ("mse_loss", {"reduction": "none"}), ("smooth_l1_loss", {}),
    ("smooth_l1_loss", {"beta": 0.5, "reduction": "sum"}), ("smooth_l1_loss", {"beta": 0.0}),
    ("huber_loss", {}), ("huber_loss", {"delta": 0.3, "reduction": "none"}),
]


@pytest.mark.parametrize("name,kwargs", LOSSES, ids=lambda v: str(v))
def test_regression_losses_match_torch(name, kwargs):
    x, y = randn(4, 5), randn(4, 5, seed=1)
    y[0, :3] = x[0, :3]  # equal pairs: the l1 kink
    y[1, :2] = x[1, :2] + np.float32(kwargs.get("beta", kwargs.get("delta", 1.0)))  # the cut
    run_both(lambda a, b: getattr(F, name)(a, b, **kwargs),
             lambda a, b: getattr(TF, name)(a, b, **kwargs), [x, y], torch)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_elementwise_weight_of_regression_losses(name, reduction):
    x, y, w = randn(3, 4), randn(3, 4, seed=1), np.abs(randn(3, 4, seed=2))
    run_both(lambda a, b, c: getattr(F, name)(a, b, reduction=reduction, weight=c),
             lambda a, b, c: getattr(TF, name)(a, b, reduction=reduction, weight=c),
             [x, y, w], torch)


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(reduction, log_target):
    logp = np.log(np.random.default_rng(0).dirichlet(np.ones(5), size=4)).astype(np.float32)
    q = np.random.default_rng(1).dirichlet(np.ones(5), size=4).astype(np.float32)
    q[0, 1] = 0.0  # a zero target: contributes 0
    target = np.log(q + 1e-3) if log_target else q
    ours = run_both(lambda a: F.kl_div(a, eager.tensor(target), reduction=reduction,
                                       log_target=log_target),
                    lambda a: TF.kl_div(a, torch.tensor(target), reduction=reduction,
                                        log_target=log_target), [logp], torch)
    assert ours[0][0].grad is not None


def test_kl_div_mean_warns_as_torch_and_legacy_reduction_arguments():
    x, y = randn(2, 3), np.full((2, 3), 1 / 3, np.float32)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        ours = F.kl_div(eager.tensor(x), eager.tensor(y))
    with pytest.warns(UserWarning, match="batchmean"):
        theirs = TF.kl_div(torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        total = F.mse_loss(eager.tensor(x), eager.tensor(y), size_average=False)
    np.testing.assert_allclose(total.numpy(), ((x - y) ** 2).sum(), rtol=1e-6)
    with pytest.warns(UserWarning, match="target size"):
        F.l1_loss(eager.tensor(x), eager.tensor(y[0]))


def test_one_hot_matches_torch():
    idx = np.array([[0, 3], [2, 1]], np.int64)
    ours, theirs = F.one_hot(eager.tensor(idx)), TF.one_hot(torch.tensor(idx))
    assert ours.dtype == np.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(F.one_hot(eager.tensor(idx), 6).numpy(),
                                  TF.one_hot(torch.tensor(idx), 6).numpy())
    for bad, message in ((np.array([-1]), "non-negative"), (np.array([5]), "smaller than")):
        with pytest.raises(RuntimeError, match=message):
            F.one_hot(eager.tensor(bad), 4)
        with pytest.raises(RuntimeError, match=message):
            TF.one_hot(torch.tensor(bad), 4)
    with pytest.raises(RuntimeError, match="LongTensor"):
        F.one_hot(eager.tensor(np.array([1], np.int32)))


PADS = [
    ((1, 2), "constant", 0.5, (2, 3, 4)), ((2, 1, 1, 0), "constant", None, (2, 3, 4)),
    ((-1, 2), "constant", None, (2, 3, 4)), ((1, 1, 2, 0, 1, 1), "constant", None, (2, 3, 4)),
    ((2, 3), "reflect", None, (2, 3, 4)), ((3, 1, 2, 2), "reflect", None, (1, 2, 4, 5)),
    ((2, 3), "replicate", None, (3, 4)), ((1, 2, 0, 3), "replicate", None, (1, 2, 3, 4)),
    ((-1, 2), "replicate", None, (2, 3, 4)), ((4, 2), "circular", None, (2, 3, 4)),
    ((1, 2, 2, 1), "circular", None, (1, 2, 3, 4)), ((1, 1, 1, 1, 1, 1), "reflect", None,
                                                    (1, 2, 3, 3, 4)),
]


@pytest.mark.parametrize("pad,mode,value,shape", PADS, ids=lambda v: str(v))
def test_pad_matches_torch(pad, mode, value, shape):
    x = randn(*shape)
    run_both(lambda t: F.pad(t, pad, mode=mode, value=value),
             lambda t: TF.pad(t, pad, mode=mode, value=value), [x], torch)


@pytest.mark.parametrize("pad,mode,shape,error", [
    ((1,), "constant", (2, 3), RuntimeError), ((1, 1) * 3, "constant", (2, 3), RuntimeError),
    ((4, 0), "reflect", (1, 3, 4), RuntimeError), ((5, 0), "circular", (1, 3, 4), RuntimeError),
    ((1, 1), "reflect", (4,), NotImplementedError), ((1, 1), "wrap", (1, 4), NotImplementedError),
])
def test_pad_errors_are_torchs(pad, mode, shape, error):
    with pytest.raises(error):
        TF.pad(torch.zeros(shape), pad, mode=mode)
    with pytest.raises(error):
        F.pad(eager.zeros(*shape), pad, mode=mode)


INTERPOLATIONS = [
    ((1, 2, 5, 4), {"scale_factor": 2}), ((1, 2, 5, 4), {"size": (3, 7)}),
    ((1, 2, 5, 4), {"scale_factor": 0.5}), ((2, 1, 6), {"size": 4}),
    ((1, 2, 5, 4), {"size": (8, 3), "mode": "bilinear", "align_corners": False}),
    ((1, 2, 5, 4), {"size": (8, 3), "mode": "bilinear", "align_corners": True}),
    ((1, 2, 5, 4), {"scale_factor": 1.7, "mode": "bilinear"}),
    ((1, 2, 5, 4), {"scale_factor": (0.6, 2.5), "mode": "bilinear", "align_corners": True}),
    ((2, 3, 7), {"size": 11, "mode": "linear"}),
    ((1, 2, 5, 4), {"size": (9, 6), "mode": "nearest-exact"}),
    ((1, 1, 3, 4, 5), {"scale_factor": 1.5, "mode": "trilinear"}),
    ((1, 2, 5, 4), {"scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True}),
]


@pytest.mark.parametrize("shape,kwargs", INTERPOLATIONS, ids=lambda v: str(v))
def test_interpolate_matches_torch(shape, kwargs):
    run_both(lambda t: F.interpolate(t, **kwargs), lambda t: TF.interpolate(t, **kwargs),
             [randn(*shape)], torch)


def test_interpolate_argument_errors():
    x = eager.zeros(1, 1, 4, 4)
    with pytest.raises(ValueError, match="only one of size or scale_factor"):
        F.interpolate(x, size=2, scale_factor=2)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, size=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="bilinear mode needs 4D input"):
        F.interpolate(eager.zeros(1, 1, 4), size=2, mode="bilinear")


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, -1), (3.0, 0), (math.inf, 1)])
def test_normalize_matches_torch(p, dim):
    x = randn(3, 4)
    x[1] = 0.0  # a zero row: clamped by eps, gradient finite
    run_both(lambda t: F.normalize(t, p=p, dim=dim), lambda t: TF.normalize(t, p=p, dim=dim),
             [x], torch)


@pytest.mark.parametrize("shapes,dim", [(((4, 5), (4, 5)), 1), (((2, 3, 4), (1, 3, 4)), -1),
                                        (((4, 1), (4, 6)), 1)])
def test_cosine_similarity_and_pairwise_distance_match_torch(shapes, dim):
    a, b = randn(*shapes[0]), randn(*shapes[1], seed=1)
    run_both(lambda x, y: F.cosine_similarity(x, y, dim=dim),
             lambda x, y: TF.cosine_similarity(x, y, dim=dim), [a, b], torch)
    run_both(lambda x, y: F.pairwise_distance(x, y, keepdim=True),
             lambda x, y: TF.pairwise_distance(x, y, keepdim=True), [a, b], torch)


def _masks(n_q, n_k):
    rng = np.random.default_rng(5)
    allowed = rng.random((n_q, n_k)) > 0.3
    allowed[:, 0] = True
    blocked_row = allowed.copy()
    blocked_row[1] = False  # a query that may attend to nothing: zeros, as torch's SDPA
    additive = rng.standard_normal((n_q, n_k)).astype(np.float32)
    additive[2, :2] = -np.inf
    return [None, allowed, blocked_row, additive]


@pytest.mark.parametrize("mask_kind", range(4))
@pytest.mark.parametrize("is_causal", [False, True])
@pytest.mark.parametrize("scale", [None, 0.3])
def test_scaled_dot_product_attention_matches_torch(mask_kind, is_causal, scale):
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 6, 8, seed=1), randn(2, 3, 6, 5, seed=2)
    mask = _masks(4, 6)[mask_kind]
    if is_causal and mask is not None:  # refused, as by PyTorch
        with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set"):
            F.scaled_dot_product_attention(eager.tensor(q), eager.tensor(k), eager.tensor(v),
                                           attn_mask=eager.tensor(mask), is_causal=True)
        return
    mask_e, mask_t = (None, None) if mask is None else (eager.tensor(mask), torch.tensor(mask))
    run_both(lambda a, b, c: F.scaled_dot_product_attention(
                 a, b, c, attn_mask=mask_e, is_causal=is_causal, scale=scale),
             lambda a, b, c: TF.scaled_dot_product_attention(
                 a, b, c, attn_mask=mask_t, is_causal=is_causal, scale=scale),
             [q, k, v], torch)


def test_sdpa_grouped_query_attention_and_dropout():
    q, k, v = randn(1, 4, 3, 8), randn(1, 2, 5, 8, seed=1), randn(1, 2, 5, 8, seed=2)
    run_both(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, enable_gqa=True),
             lambda a, b, c: TF.scaled_dot_product_attention(a, b, c, enable_gqa=True),
             [q, k, v], torch)
    eager.manual_seed(0)
    dropped = F.scaled_dot_product_attention(eager.tensor(q), eager.tensor(k[:, :1]),
                                             eager.ones(1, 1, 5, 8), dropout_p=0.5)
    # Each output is a sum of kept weights (scaled by 2): not the undropped 1.
    assert dropped.shape == (1, 4, 3, 8) and not np.allclose(dropped.numpy(), 1.0)


@pytest.mark.parametrize("fn,shape,kept_shape", [
    ("dropout1d", (4, 6, 5), (4, 6, 1)), ("dropout1d", (6, 5), (6, 1)),
    ("dropout2d", (4, 6, 3, 3), (4, 6, 1, 1)), ("dropout3d", (2, 6, 2, 2, 2), (2, 6, 1, 1, 1)),
    ("dropout3d", (6, 2, 2, 2), (6, 1, 1, 1)),
])
def test_channel_dropout_zeroes_whole_channels(fn, shape, kept_shape):
    eager.manual_seed(1)
    x = eager.ones(*shape, requires_grad=True)
    y = getattr(F, fn)(x, 0.5)
    values = y.detach().numpy()
    per_channel = values.reshape(kept_shape + (-1,))
    assert set(np.unique(values)) <= {0.0, 2.0}
    assert (per_channel == per_channel[..., :1]).all()  # one draw per channel
    assert 0 < (values == 0).mean() < 1
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)
    assert getattr(F, fn)(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        getattr(F, fn)(x, 1.5)


def test_dropout1d_dims_and_dropout2d_3d_input_warning():
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input"):
        F.dropout1d(eager.ones(2, 3, 4, 5))
    with pytest.warns(UserWarning, match="channel-wise 1D dropout behavior"):
        F.dropout2d(eager.ones(2, 3, 4))
