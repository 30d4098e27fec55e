"""Test cases of the neural-network ops, walked by ``test_registry_walk.py``: here softmax,
log_softmax, erf, gelu, linear, layer_norm, dropout and embedding; ``CASES`` also collects the
losses (cases_losses.py) and conv2d/pooling (cases_conv.py).

References are plain NumPy written for clarity (loops where that is clearest), and every op
PyTorch has gets a ``torch_fn`` oracle. Dropout has none: PyTorch's mask comes from its own
generator, so its cases check the mask against ``np.random.default_rng(seed)`` instead.
Differentiable inputs are float64 and kept away from kinks (BCE's clamped logs, relu at 0).
"""

from __future__ import annotations

import math

import numpy as np
from cases_conv import CONV_CASES
from cases_conv_winograd import WINOGRAD_CASES
from cases_losses import LOSS_CASES, log_softmax_ref, normal, softmax_ref, tnf, torch_vjp
from opcases import OpCase

_erf = np.vectorize(math.erf, otypes=[np.float64])


# --- references --------------------------------------------------------------------------------
def gelu_ref(x, approximate="none"):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def linear_ref(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def layer_norm_ref(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    mu = x.mean(axis=axes, keepdims=True)
    y = (x - mu) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)


def mask_ref(x, seed, p):
    keep = np.random.default_rng(seed).random(x.shape) >= p
    return keep * (0.0 if p == 1 else 1 / (1 - p))


def dropout_ref(x, seed, p=0.5, training=True):
    return x * mask_ref(x, seed, p) if training else x


def fold_seed_ref(state, key=0):
    words = np.random.SeedSequence([int(v) for v in state] + [key]).generate_state(2, np.uint32)
    return np.int64((int(words[0]) << 31) ^ int(words[1]))


def embedding_grad_ref(g, idx, shape, padding_idx=None):
    out = np.zeros(shape)
    for pos in np.ndindex(idx.shape):
        if idx[pos] != padding_idx:
            out[idx[pos]] += g[pos]
    return out


def embedding_ref(idx, w, padding_idx=None):
    return w[idx]


# --- torch oracles that need more than one call ------------------------------------------------
_embedding_grad_torch = torch_vjp(
    lambda torch, w, idx, **a: torch.nn.functional.embedding(idx, w, **a), lambda s: s)


def _softmax_torch(torch, x, axis=-1):
    return torch.softmax(x, dim=axis)


def _log_softmax_torch(torch, x, axis=-1):
    return torch.log_softmax(x, dim=axis)


# --- cases -------------------------------------------------------------------------------------
_big = np.array([[0.0, 1000.0, -1000.0], [500.0, 499.0, -3.0]])
_w5 = normal(5, 4)
_g_emb = normal(2, 3, 4)
_idx_emb = np.array([[0, 4, 4], [1, 0, 4]])  # repeats: the gradient must accumulate

CASES: list[OpCase] = [
    OpCase("softmax", (normal(4, 5),), {}, softmax_ref, _softmax_torch, id="rows"),
    OpCase("softmax", (normal(4, 5),), {"axis": 0}, softmax_ref, _softmax_torch, id="axis0"),
    OpCase("softmax", (normal(2, 3, 4),), {"axis": 1}, softmax_ref, _softmax_torch, id="3d"),
    OpCase("softmax", (_big,), {}, softmax_ref, _softmax_torch, id="huge-logits"),
    OpCase("log_softmax", (normal(4, 5),), {}, log_softmax_ref, _log_softmax_torch, id="rows"),
    OpCase("log_softmax", (normal(3, 2, 4),), {"axis": 0}, log_softmax_ref, _log_softmax_torch,
           id="axis0"),
    OpCase("log_softmax", (_big,), {}, log_softmax_ref, _log_softmax_torch, id="no-underflow"),
    OpCase("erf", (np.linspace(-6, 6, 25),), {}, _erf, lambda torch, x: torch.erf(x),
           id="range"),
    OpCase("erf", (normal(3, 4) * 1e-3,), {}, _erf, lambda torch, x: torch.erf(x), id="tiny"),
    OpCase("gelu", (np.linspace(-5, 5, 21),), {}, gelu_ref, tnf("gelu"), id="exact"),
    OpCase("gelu", (normal(3, 4, scale=2),), {"approximate": "tanh"}, gelu_ref, tnf("gelu"),
           id="tanh"),
    OpCase("linear", (normal(4, 3), _w5[:, :3], normal(5)), {}, linear_ref, tnf("linear"),
           id="bias"),
    OpCase("linear", (normal(2, 4, 3), _w5[:, :3]), {}, linear_ref, tnf("linear"), id="batched"),
    OpCase("linear", (normal(3), _w5[:, :3], normal(5)), {}, linear_ref, tnf("linear"),
           id="vector-input"),
    OpCase("layer_norm", (normal(4, 6, scale=3), (6,), normal(6), normal(6)), {},
           layer_norm_ref, tnf("layer_norm"), id="affine"),
    OpCase("layer_norm", (normal(2, 3, 4), (3, 4)), {"eps": 1e-3}, layer_norm_ref,
           tnf("layer_norm"), id="2d-shape-eps"),
    OpCase("layer_norm", (normal(5, 3), (3,), None, normal(3)), {}, layer_norm_ref,
           tnf("layer_norm"), id="bias-only"),
    OpCase("dropout_mask", (normal(6, 7), 3), {"p": 0.3}, mask_ref, grad=False, id="p0.3"),
    OpCase("dropout_mask", (normal(4, 5).astype(np.float32), 9), {"p": 0.5}, mask_ref,
           grad=False, id="f32"),
    OpCase("dropout", (normal(5, 6), 11), {"p": 0.5}, dropout_ref, id="train"),
    OpCase("dropout", (normal(5, 6), 11), {"p": 0.5, "training": False}, dropout_ref,
           id="eval"),
    OpCase("dropout", (normal(3, 4), 1), {"p": 1.0}, dropout_ref, id="p1-all-dropped"),
    OpCase("fold_seed", (np.array([7, 3], np.int64),), {"key": 2}, fold_seed_ref, grad=False,
           id="state-key"),
    OpCase("embedding", (_idx_emb, _w5), {}, embedding_ref, tnf("embedding"), id="2d"),
    OpCase("embedding", (np.array([3, 3, 0]), _w5), {}, embedding_ref, tnf("embedding"),
           id="repeats"),
    # padding_idx withholds that row's gradient on purpose (finite differences would see it);
    # the embedding_grad "padding-idx" case checks the withheld gradient against torch.
    OpCase("embedding", (_idx_emb, _w5), {"padding_idx": 4}, embedding_ref, tnf("embedding"),
           grad=False, id="padding-idx"),
    OpCase("embedding_grad", (_g_emb, _idx_emb), {"shape": (5, 4)}, embedding_grad_ref,
           _embedding_grad_torch, id="scatter-add"),
    OpCase("embedding_grad", (_g_emb, _idx_emb), {"shape": (5, 4), "padding_idx": 0},
           embedding_grad_ref, _embedding_grad_torch, id="padding-idx"),
]

CASES += LOSS_CASES + CONV_CASES + WINOGRAD_CASES
