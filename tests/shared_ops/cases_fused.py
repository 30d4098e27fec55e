"""Test cases of the fused primitives (shared_ops/ops/fused.py), walked by
``test_registry_walk.py``: each fused op against a plain NumPy reference of the unfused
computation, against torch where torch has the same function, and its gradient against finite
differences (the gradient op's own VJP included: second-order gradients)."""

from __future__ import annotations

import math

import numpy as np
from cases_neural import gelu_ref, layer_norm_ref
from opcases import OpCase

rng = np.random.default_rng(515151)


def _f(name):
    return lambda torch, *a, **k: getattr(torch.nn.functional, name)(*a, **k)


def _torch_log_softmax(torch, x, axis):
    return torch.nn.functional.log_softmax(x, dim=axis)


def _torch_softmax(torch, x, axis):
    return torch.nn.functional.softmax(x, dim=axis)


def _log_softmax(x, axis):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _weights(target, ignore_index, reduction, dtype):
    valid = (target != ignore_index).astype(dtype)
    return valid / valid.sum() if reduction == "mean" else valid


def sce_ref(logits, target, reduction="mean", ignore_index=-100):
    axis = 1 if logits.ndim == 2 else 0
    logp = _log_softmax(logits, axis)
    safe = np.where(target == ignore_index, 0, target)
    picked = logp[np.arange(len(safe)), safe] if logits.ndim == 2 else logp[safe]
    per = -picked * (target != ignore_index)
    if reduction == "none":
        return per
    total = per.sum()
    return total / (target != ignore_index).sum() if reduction == "mean" else total


def sce_grad_ref(g, logits, target, reduction="mean", ignore_index=-100):
    p = np.exp(_log_softmax(logits, 1))
    onehot = np.zeros_like(p)
    onehot[np.arange(len(target)), np.where(target == ignore_index, 0, target)] = 1
    w = _weights(target, ignore_index, reduction, logits.dtype) * g
    return (p - onehot) * w[:, None]


def sbce_ref(x, y, reduction="mean"):
    loss = np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def linear_act_ref(x, w, b, activation="relu"):
    z = x @ w + b
    return np.maximum(z, 0) if activation == "relu" else z


def _linear_act_torch(torch, x, w, b, activation="relu"):
    z = x @ w + b
    return torch.relu(z) if activation == "relu" else z


def affine_ref(x, w, b):
    return x @ w.T + b


def affine_weight_grad_ref(g, x):
    if x.ndim == 1:
        return np.outer(g, x)
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def _affine_weight_grad_torch(torch, g, x):
    if x.ndim == 1:
        return torch.outer(g, x)
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def cbce_ref(p, y, reduction="mean"):
    loss = -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def cbce_grad_ref(g, p, y, reduction="mean"):
    scale = g / p.size if reduction == "mean" else g
    return scale * (p - y) / np.maximum(p * (1 - p), 1e-12)


def _cbce_grad_torch(torch, g, p, y, reduction="mean"):
    code = {"none": 0, "mean": 1, "sum": 2}[reduction]
    return torch.ops.aten.binary_cross_entropy_backward(g, p, y, None, code)


_logits = rng.standard_normal((5, 4))
_target = rng.integers(0, 4, 5)
_ignored = np.array([1, -100, 3, 0, -100])

CASES: list[OpCase] = []
for red in ("mean", "sum", "none"):
    CASES += [
        OpCase("softmax_cross_entropy", (_logits, _target), {"reduction": red}, sce_ref,
               _f("cross_entropy"), id=red),
        OpCase("softmax_cross_entropy_grad",
               (rng.standard_normal(5) if red == "none" else np.array(1.3), _logits, _target),
               {"reduction": red}, sce_grad_ref, id=red),
        OpCase("sigmoid_bce", (rng.standard_normal((3, 4)) * 3, rng.uniform(0, 1, (3, 4))),
               {"reduction": red}, sbce_ref, _f("binary_cross_entropy_with_logits"), id=red),
        OpCase("clamped_bce", (rng.uniform(0.05, 0.95, (3, 4)), rng.uniform(0, 1, (3, 4))),
               {"reduction": red}, cbce_ref, _f("binary_cross_entropy"), id=red),
        OpCase("clamped_bce_grad", (rng.standard_normal((3, 4)) if red == "none" else
                                    np.array(1.7), rng.uniform(0.05, 0.95, (3, 4)),
                                    rng.uniform(0, 1, (3, 4))),
               {"reduction": red}, cbce_grad_ref, _cbce_grad_torch, id=red),
    ]
CASES += [
    OpCase("softmax_shift", (rng.standard_normal((3, 5)),), {"axis": 1},
           lambda x, axis: x.max(axis=axis, keepdims=True), grad=False, id="rows"),
    OpCase("softmax_shift", (np.zeros((3, 0)),), {"axis": -1},
           lambda x, axis: np.full((3, 1), -np.inf), grad=False, id="empty"),
    OpCase("fused_softmax", (rng.standard_normal((3, 5)),), {"axis": 1},
           lambda x, axis: np.exp(_log_softmax(x, axis)), _torch_softmax, id="rows"),
    OpCase("fused_softmax", (rng.standard_normal((2, 3, 4)) * 30,), {"axis": 0},
           lambda x, axis: np.exp(_log_softmax(x, axis)), _torch_softmax, id="first-axis"),
    OpCase("fused_log_softmax", (rng.standard_normal((3, 5)),), {"axis": 1},
           _log_softmax, _torch_log_softmax, id="rows"),
    OpCase("fused_log_softmax", (rng.standard_normal((2, 3, 4)),), {"axis": -1},
           _log_softmax, _torch_log_softmax, id="last-axis"),
    OpCase("softmax_cross_entropy", (_logits, _ignored), {"ignore_index": -100}, sce_ref,
           _f("cross_entropy"), id="ignore-index"),
    OpCase("softmax_cross_entropy", (rng.standard_normal(6), np.array(2)), {}, sce_ref,
           _f("cross_entropy"), id="1d"),
    OpCase("softmax_cross_entropy_grad", (np.array(0.7), _logits, _ignored), {}, sce_grad_ref,
           id="ignore-index"),
    OpCase("sigmoid_bce", (np.array([-800.0, -30.0, 0.5, 40.0]), np.array([1.0, 0.0, 1.0, 0.0])),
           {"reduction": "none"}, sbce_ref, _f("binary_cross_entropy_with_logits"), grad=False,
           id="extreme-logits"),
    OpCase("linear_act", (rng.standard_normal((3, 4)), rng.standard_normal((4, 5)),
                          rng.standard_normal(5)), {"activation": "relu"}, linear_act_ref,
           _linear_act_torch, id="relu"),
    OpCase("linear_act", (rng.standard_normal((3, 4)), rng.standard_normal((4, 2)),
                          rng.standard_normal(2)), {"activation": "none"}, linear_act_ref,
           _linear_act_torch, id="none"),
    OpCase("clamped_bce", (np.array([0.0, 1e-50, 0.5, 1.0]), np.array([1.0, 0.0, 1.0, 0.0])),
           {"reduction": "none"}, cbce_ref, _f("binary_cross_entropy"), grad=False,
           id="log-clamped"),
    OpCase("affine", (rng.standard_normal((3, 4)), rng.standard_normal((5, 4)),
                      rng.standard_normal(5)), {}, affine_ref, _f("linear"), id="2d"),
    OpCase("affine", (rng.standard_normal(4), rng.standard_normal((2, 4)),
                      rng.standard_normal(2)), {}, affine_ref, _f("linear"), id="1d-input"),
    OpCase("affine", (rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4)),
                      rng.standard_normal(5)), {}, affine_ref, _f("linear"), id="3d-input"),
    OpCase("affine", (rng.standard_normal((0, 4)), rng.standard_normal((5, 4)),
                      rng.standard_normal(5)), {}, affine_ref, _f("linear"), id="empty-batch"),
    OpCase("affine_weight_grad", (rng.standard_normal((3, 5)), rng.standard_normal((3, 4))),
           {}, affine_weight_grad_ref, _affine_weight_grad_torch, id="2d"),
    OpCase("affine_weight_grad", (rng.standard_normal(5), rng.standard_normal(4)),
           {}, affine_weight_grad_ref, _affine_weight_grad_torch, id="1d-input"),
    OpCase("affine_weight_grad", (rng.standard_normal((2, 3, 5)), rng.standard_normal((2, 3, 4))),
           {}, affine_weight_grad_ref, _affine_weight_grad_torch, id="3d-input"),
    OpCase("affine_weight_grad", (rng.standard_normal((0, 5)), rng.standard_normal((0, 4))),
           {}, affine_weight_grad_ref, _affine_weight_grad_torch, id="empty-batch"),
    OpCase("add_n", ([rng.standard_normal((2, 3)), rng.standard_normal((2, 3)),
                      rng.standard_normal((2, 3))],), {}, lambda s: s[0] + s[1] + s[2],
           lambda torch, s: s[0] + s[1] + s[2], id="three"),
    OpCase("add_n", ([rng.standard_normal((2, 3)), rng.standard_normal((1, 3))],), {},
           lambda s: s[0] + s[1], lambda torch, s: s[0] + s[1], id="broadcast"),
]


# --- fused_gelu, gelu_grad, fused_layer_norm (shared_ops/ops/fused_*_op.py) -------------------
def _gelu_grad_ref(g, x, approximate="none"):
    if approximate == "tanh":
        c, k = np.sqrt(2 / np.pi), 0.044715
        t = np.tanh(c * (x + k * x**3))
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * k * x * x))
    phi = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    return g * (0.5 * (1 + np.vectorize(math.erf)(x / np.sqrt(2))) + x * phi)


def _gelu_grad_torch(torch, g, x, approximate="none"):
    return torch.ops.aten.gelu_backward(g, x, approximate=approximate)


def _layer_norm_torch(torch, x, w, b, eps=1e-5):
    return torch.nn.functional.layer_norm(x, tuple(w.shape), w, b, eps)


for approx in ("none", "tanh"):
    CASES += [
        OpCase("fused_gelu", (rng.standard_normal((3, 4)) * 3,), {"approximate": approx},
               gelu_ref, _f("gelu"), id=approx),
        OpCase("gelu_grad", (rng.standard_normal((3, 4)), rng.standard_normal((3, 4)) * 3),
               {"approximate": approx}, _gelu_grad_ref, _gelu_grad_torch, id=approx),
    ]
CASES += [
    OpCase("fused_layer_norm", (rng.standard_normal((4, 5)) * 3, rng.standard_normal(5),
                                rng.standard_normal(5)), {}, lambda x, w, b, eps=1e-5:
           layer_norm_ref(x, w.shape, w, b, eps), _layer_norm_torch, id="rows"),
    OpCase("fused_layer_norm", (rng.standard_normal((2, 3, 4)), rng.standard_normal((3, 4)),
                                rng.standard_normal((3, 4))), {"eps": 1e-3}, lambda x, w, b,
           eps=1e-5: layer_norm_ref(x, w.shape, w, b, eps), _layer_norm_torch, id="2d-eps"),
    OpCase("fused_layer_norm", (rng.standard_normal(6), rng.standard_normal(6),
                                rng.standard_normal(6)), {}, lambda x, w, b, eps=1e-5:
           layer_norm_ref(x, w.shape, w, b, eps), _layer_norm_torch, id="one-row"),
]


# --- fused_attention_weights, attention_weights (shared_ops/ops/attention_weights_op.py) -------
def attention_weights_ref(q, k, scale=1.0, causal=False):
    s = q @ np.swapaxes(k, -1, -2) * scale
    if causal:
        s = np.where(np.tril(np.ones(s.shape[-2:], dtype=bool)), s, -np.inf)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _attention_weights_torch(torch, q, k, scale=1.0, causal=False):
    s = q @ k.transpose(-1, -2) * scale
    if causal:
        s = s.masked_fill(~torch.ones(s.shape[-2:], dtype=torch.bool).tril(), float("-inf"))
    return torch.softmax(s, dim=-1)


for _op in ("fused_attention_weights", "attention_weights"):
    CASES += [
        OpCase(_op, (rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))),
               {"scale": 0.5, "causal": True}, attention_weights_ref, _attention_weights_torch,
               id="causal"),
        OpCase(_op, (rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))),
               {"scale": 1.5}, attention_weights_ref, _attention_weights_torch, id="plain"),
        OpCase(_op, (rng.standard_normal((2, 2, 4, 3)), rng.standard_normal((2, 6, 3))),
               {"scale": 0.7, "causal": True}, attention_weights_ref, _attention_weights_torch,
               id="broadcast-keys"),
    ]
