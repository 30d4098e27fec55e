"""nn.MultiheadAttention and the Transformer layers against torch with torch's weights loaded:
outputs, attention weights, input and parameter gradients, masks of every kind, printing and
state dict keys."""

import numpy as np
import pytest
from nn_parity import load_torch_weights, randn, run_modules

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")


def _pair(cls, *args, **kwargs):
    torch.manual_seed(0)
    theirs = getattr(torch.nn, cls)(*args, **kwargs)
    ours = getattr(nn, cls)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (n, p), (_, q) in zip(ours.state_dict().items(), theirs.state_dict().items(),
                              strict=True):
        assert p.shape == tuple(q.shape), n
    return ours, theirs


def _mask_pair(mask):
    return (None, None) if mask is None else (eager.tensor(mask), torch.tensor(mask))


MHA_CASES = [
    ({}, {}),
    ({"batch_first": True}, {"need_weights": False}),
    ({"bias": False, "add_bias_kv": True, "add_zero_attn": True}, {"average_attn_weights": False}),
    ({"kdim": 5, "vdim": 3, "batch_first": True}, {}),
]


@pytest.mark.parametrize("options,call", MHA_CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("masks", ["none", "bool", "float", "padding", "both"])
def test_multihead_attention_matches_torch(options, call, masks):
    ours, theirs = _pair("MultiheadAttention", 8, 2, **options)
    batch_first = options.get("batch_first", False)
    kdim, vdim = options.get("kdim", 8), options.get("vdim", 8)
    q, k, v = randn(4, 3, 8), randn(5, 3, kdim, seed=1), randn(5, 3, vdim, seed=2)
    if batch_first:
        q, k, v = (a.transpose(1, 0, 2).copy() for a in (q, k, v))
    rng = np.random.default_rng(3)
    attn = {"bool": rng.random((4, 5)) > 0.7, "float": randn(4, 5, seed=4),
            "both": rng.random((4, 5)) > 0.7}.get(masks)
    padding = {"padding": np.array([[False] * 5, [False] * 3 + [True] * 2, [True] + [False] * 4]),
               "both": np.array([[False] * 4 + [True]] * 3)}.get(masks)
    if attn is not None and attn.dtype == bool:
        attn[:, 0] = False  # every query keeps a key
    (ae, at), (pe, pt) = _mask_pair(attn), _mask_pair(padding)

    def forward(module, *xs):
        a, p = (ae, pe) if isinstance(module, nn.Module) else (at, pt)
        return module(*xs, attn_mask=a, key_padding_mask=p, **call)
    run_modules(ours, theirs, [q, k, v], torch, call=forward)


def test_self_attention_3d_mask_unbatched_input_and_is_causal():
    ours, theirs = _pair("MultiheadAttention", 6, 3, batch_first=True)
    x = randn(2, 4, 6)
    mask3d = np.random.default_rng(0).standard_normal((6, 4, 4)).astype(np.float32)
    run_modules(ours, theirs, [x], torch,
                call=lambda m, a: m(a, a, a, attn_mask=(eager.tensor(mask3d) if isinstance(
                    m, nn.Module) else torch.tensor(mask3d))))
    ours.zero_grad(), theirs.zero_grad()
    run_modules(ours, theirs, [x[0]], torch, call=lambda m, a: m(a, a, a))  # unbatched (L, E)
    causal = nn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(causal.numpy(),
                                  torch.nn.Transformer.generate_square_subsequent_mask(4).numpy())
    ours.zero_grad(), theirs.zero_grad()
    run_modules(ours, theirs, [x], torch, call=lambda m, a: m(
        a, a, a, need_weights=False, is_causal=True,
        attn_mask=causal if isinstance(m, nn.Module) else torch.from_numpy(causal.numpy())))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        ours(eager.tensor(x), eager.tensor(x), eager.tensor(x), is_causal=True)


def test_multihead_attention_init_follows_torch():
    eager.manual_seed(0)
    mha = nn.MultiheadAttention(64, 4, add_bias_kv=True)
    w = mha.in_proj_weight.detach().numpy()
    bound = np.sqrt(6 / (64 + 3 * 64))  # xavier_uniform on the (3E, E) matrix
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert not mha.in_proj_bias.detach().numpy().any()
    assert not mha.out_proj.bias.detach().numpy().any()
    out_bound = 1 / np.sqrt(64)  # out_proj keeps Linear's own init
    assert np.abs(mha.out_proj.weight.detach().numpy()).max() <= out_bound
    assert mha.bias_k.shape == (1, 1, 64)
    with pytest.raises(AssertionError, match="divisible by num_heads"):
        nn.MultiheadAttention(10, 3)


LAYERS = [
    ("TransformerEncoderLayer", {}), ("TransformerEncoderLayer", {"norm_first": True}),
    ("TransformerEncoderLayer", {"activation": "gelu", "batch_first": True, "bias": False}),
    ("TransformerDecoderLayer", {}), ("TransformerDecoderLayer", {"norm_first": True,
                                                                  "activation": "gelu"}),
]


@pytest.mark.parametrize("cls,options", LAYERS, ids=lambda v: str(v))
def test_transformer_layers_match_torch(cls, options):
    ours, theirs = _pair(cls, 8, 2, dim_feedforward=16, dropout=0.0, **options)
    src, mem = randn(5, 2, 8), randn(3, 2, 8, seed=1)
    if options.get("batch_first"):
        src, mem = src.transpose(1, 0, 2).copy(), mem.transpose(1, 0, 2).copy()
    causal = np.triu(np.full((5, 5), -np.inf, np.float32), 1)
    pad = np.array([[False] * 4 + [True], [False] * 5])
    causal_bool = np.isinf(causal)  # the same type as the padding mask (no warning)

    def forward(module, *xs):
        ours_side = isinstance(module, nn.Module)
        conv = eager.tensor if ours_side else torch.tensor
        if cls == "TransformerEncoderLayer":
            return module(xs[0], src_mask=conv(causal_bool), src_key_padding_mask=conv(pad))
        return module(xs[0], xs[1], tgt_mask=conv(causal), memory_key_padding_mask=conv(
            np.array([[False, False, True], [False] * 3])))
    inputs = [src] if cls == "TransformerEncoderLayer" else [src, mem]
    run_modules(ours, theirs, inputs, torch, call=forward)


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
def test_transformer_matches_torch_with_masks():
    ours, theirs = _pair("Transformer", 8, 2, 2, 2, 16, dropout=0.0, activation="gelu")
    src, tgt = randn(6, 2, 8), randn(4, 2, 8, seed=1)
    tgt_mask = np.triu(np.full((4, 4), -np.inf, np.float32), 1)
    src_pad = np.array([[False] * 6, [False] * 4 + [True] * 2])

    def forward(module, s, t):
        conv = eager.tensor if isinstance(module, nn.Module) else torch.tensor
        return module(s, t, tgt_mask=conv(tgt_mask), src_key_padding_mask=conv(src_pad),
                      memory_key_padding_mask=conv(src_pad))
    run_modules(ours, theirs, [src, tgt], torch, call=forward, rtol=5e-4, atol=5e-5)


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors")
def test_encoder_stack_warning_and_inference_fast_path_zeros():
    with pytest.warns(UserWarning, match="batch_first was not True"):
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2)
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    theirs = torch.nn.TransformerEncoder(layer, 2, norm=torch.nn.LayerNorm(8)).eval()
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0,
                                                            batch_first=True), 2,
                                 norm=nn.LayerNorm(8)).eval()
    assert repr(ours) == repr(theirs)
    load_torch_weights(ours, theirs)
    x = randn(2, 5, 8)
    pad = np.array([[False] * 5, [False] * 3 + [True] * 2])
    with torch.no_grad():  # PyTorch's nested-tensor path: padded positions come out as zeros
        expected = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(pad)).numpy()
    with eager.no_grad():
        got = ours(eager.tensor(x), src_key_padding_mask=eager.tensor(pad)).numpy()
    np.testing.assert_allclose(got, expected, rtol=2e-4, atol=2e-5)
    # With gradients, the padded positions hold attention over the valid keys instead.
    expected = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(pad)).detach().numpy()
    got = ours(eager.tensor(x), src_key_padding_mask=eager.tensor(pad)).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=2e-4, atol=2e-5)


def test_transformer_dropout_trains_and_evaluates():
    eager.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5, batch_first=True)
    x = eager.tensor(randn(2, 5, 8))
    a, b = layer(x).detach().numpy(), layer(x).detach().numpy()
    assert not np.allclose(a, b)
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")
    custom = nn.TransformerEncoderLayer(8, 2, 16, activation=eager.tanh)
    assert custom.activation_relu_or_gelu == 0
