"""Test cases of the losses (cross_entropy, nll_loss and its gradient, mse, the two binary
cross-entropies), part of cases_neural.CASES, with the reference helpers both files use.

References are plain NumPy, per item where that is clearest; every loss has a torch oracle.
Probabilities for BCE stay inside [0.05, 0.95], away from its clamped logs.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase

rng = np.random.default_rng(515151)


def normal(*shape, scale=1.0):
    return rng.standard_normal(shape) * scale


def classes(n_classes, *shape):
    return rng.integers(0, n_classes, size=shape)


def tnf(name):
    """torch_fn calling ``torch.nn.functional.<name>`` (tnf) with the same inputs and attrs."""
    return lambda torch, *a, **k: getattr(torch.nn.functional, name)(*a, **k)


# --- references ---------------------------------------------------------------------------------
def log_softmax_ref(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_ref(x, axis=-1):
    return np.exp(log_softmax_ref(x, axis))


def _nll_terms(logp, target, ignore_index):
    """Per-item losses and which items count, by explicit loops over the target."""
    axis = 1 if logp.ndim >= 2 else 0
    moved = np.moveaxis(logp, axis, -1)
    loss, valid = np.zeros(target.shape), np.zeros(target.shape, bool)
    for pos in np.ndindex(target.shape):
        if target[pos] != ignore_index:
            loss[pos], valid[pos] = -moved[pos][target[pos]], True
    return loss, valid


def _reduce(loss, reduction, count=None):
    if reduction == "none":
        return loss
    return loss.sum() / (loss.size if count is None else count) if reduction == "mean" \
        else loss.sum()


def nll_ref(logp, target, reduction="mean", ignore_index=-100):
    loss, valid = _nll_terms(logp, target, ignore_index)
    return _reduce(loss, reduction, valid.sum())


def nll_grad_ref(g, target, shape, reduction="mean", ignore_index=-100):
    """The transpose of nll_loss: column by column of the identity."""
    out = np.zeros(shape)
    for pos in np.ndindex(*shape):
        e = np.zeros(shape)
        e[pos] = 1.0
        out[pos] = np.sum(g * nll_ref(e, target, reduction, ignore_index))
    return out


def cross_entropy_ref(x, target, weight=None, reduction="mean", ignore_index=-100,
                      label_smoothing=0.0):
    """-sum_c dist_c w_c log p_c per item, dist the (smoothed) target distribution; "mean"
    divides by the summed weights of the counted class targets, as PyTorch."""
    axis = 1 if x.ndim >= 2 else 0
    logp = np.moveaxis(log_softmax_ref(x, axis), axis, -1)
    n_classes = logp.shape[-1]
    w = np.ones(n_classes) if weight is None else np.asarray(weight, dtype=np.float64)
    if target.dtype.kind == "f":
        dist = np.moveaxis(target, axis, -1) * (1 - label_smoothing) + label_smoothing / n_classes
        return _reduce(-(dist * w * logp).sum(axis=-1), reduction)
    loss, total = np.zeros(target.shape), 0.0
    for pos in np.ndindex(target.shape):
        if target[pos] != ignore_index:
            dist = np.full(n_classes, label_smoothing / n_classes)
            dist[target[pos]] += 1 - label_smoothing
            loss[pos] = -(dist * w * logp[pos]).sum()
            total += w[target[pos]]
    return _reduce(loss, reduction, total)


def _ce_torch(torch, x, target, weight=None, **attrs):
    w = None if weight is None else torch.tensor(weight, dtype=x.dtype)
    return torch.nn.functional.cross_entropy(x, target, w, **attrs)


def mse_ref(x, y, reduction="mean"):
    return _reduce((x - y) ** 2, reduction)


def smooth_l1_ref(x, y, reduction="mean", beta=1.0):
    d = np.abs(x - y)
    loss = d if beta == 0 else np.where(d < beta, 0.5 * d ** 2 / beta, d - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_ref(x, y, reduction="mean", delta=1.0):
    d = np.abs(x - y)
    return _reduce(np.where(d < delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)


def regression_ref(x, y, kind="mse", param=0.0, reduction="mean"):
    if kind == "mse":
        return mse_ref(x, y, reduction)
    ref = smooth_l1_ref if kind == "smooth_l1" else huber_ref
    return ref(x, y, reduction, param)


def _regression_torch(torch, x, y, kind="mse", param=0.0, reduction="mean"):
    f = torch.nn.functional
    if kind == "mse":
        return f.mse_loss(x, y, reduction=reduction)
    if kind == "smooth_l1":
        return f.smooth_l1_loss(x, y, reduction=reduction, beta=param)
    return f.huber_loss(x, y, reduction=reduction, delta=param)


def _apart_from(cut, *shape):
    """Differences ``x - y`` at least 0.05 away from +-cut (and 0): the kinks of smooth L1 and
    Huber, where central differences would straddle two pieces."""
    d = rng.uniform(0.05, 3.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    d = np.where(np.abs(np.abs(d) - cut) < 0.05, d * 1.5, d)
    y = normal(*shape)
    return y + d, y


def bce_ref(p, y, weight=None, reduction="mean"):
    loss = -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return _reduce(loss * (1 if weight is None else np.asarray(weight)), reduction)


def bce_logits_ref(x, y, weight=None, reduction="mean", pos_weight=None):
    # -log sigmoid(x) = log(1 + exp(-x)) = logaddexp(0, -x): finite for any x.
    pw = 1 if pos_weight is None else np.asarray(pos_weight)
    loss = pw * y * np.logaddexp(0, -x) + (1 - y) * np.logaddexp(0, x)
    return _reduce(loss * (1 if weight is None else np.asarray(weight)), reduction)


def _weights_torch(name):
    """torch_fn for a loss whose weight / pos_weight come as lists (not differentiated)."""
    def run(torch, x, y, weight=None, **attrs):
        def as_tensor(w):
            return None if w is None else torch.tensor(w, dtype=x.dtype)
        if "pos_weight" in attrs:
            attrs["pos_weight"] = as_tensor(attrs["pos_weight"])
        return getattr(torch.nn.functional, name)(x, y, as_tensor(weight), **attrs)
    return run


# --- torch oracles that need more than one call ------------------------------------------------
def torch_vjp(forward, shape_of_input):
    """torch_fn for a gradient primitive: torch's VJP of ``forward`` w.r.t. an input of the
    given shape (zeros: the ops are linear in it), differentiable in the cotangent."""
    def run(torch, g, *rest, shape, **attrs):
        w = torch.zeros(shape_of_input(shape), dtype=g.dtype, requires_grad=True)
        (dw,) = torch.autograd.grad(forward(torch, w, *rest, **attrs), w, g, create_graph=True)
        return dw
    return run


_nll_grad_torch = torch_vjp(
    lambda torch, logp, target, **a: torch.nn.functional.nll_loss(logp, target, **a),
    lambda s: s)



# --- cases -------------------------------------------------------------------------------------
# Integer class targets, (N, C) and (N, C, d) layouts, every reduction.
LOSS_CASES: list[OpCase] = []
_logits, _target = normal(6, 4, scale=2), classes(4, 6)
_logits3, _target3 = normal(2, 3, 5), classes(3, 2, 5)
_ignored = _target.copy()
_ignored[[1, 4]] = -100
_probs = softmax_ref(normal(6, 4))


def _labels(shape=(3, 4)):
    """Soft binary labels in [0, 1]."""
    return rng.uniform(0, 1, shape)


for red in ("mean", "sum", "none"):
    LOSS_CASES += [
        OpCase("cross_entropy", (_logits, _target), {"reduction": red}, cross_entropy_ref,
               tnf("cross_entropy"), id=red),
        OpCase("nll_loss", (log_softmax_ref(_logits), _target), {"reduction": red}, nll_ref,
               tnf("nll_loss"), id=red),
        OpCase("nll_loss_grad", (normal(6) if red == "none" else np.array(1.7), _target),
               {"reduction": red, "shape": (6, 4)}, nll_grad_ref, _nll_grad_torch, id=red),
        OpCase("mse", (normal(3, 4), normal(3, 4)), {"reduction": red}, mse_ref, tnf("mse_loss"),
               id=red),
        OpCase("binary_cross_entropy", (rng.uniform(0.05, 0.95, (3, 4)), _labels()),
               {"reduction": red}, bce_ref, tnf("binary_cross_entropy"), id=red),
        OpCase("smooth_l1_loss", _apart_from(0.7, 3, 4), {"reduction": red, "beta": 0.7},
               smooth_l1_ref, tnf("smooth_l1_loss"), id=red),
        OpCase("huber_loss", _apart_from(1.3, 3, 4), {"reduction": red, "delta": 1.3},
               huber_ref, tnf("huber_loss"), id=red),
        *(OpCase("regression_loss", _apart_from(0.8, 3, 4),
                 {"kind": kind, "param": 0.8, "reduction": red}, regression_ref,
                 _regression_torch, id=f"{kind}-{red}") for kind in ("mse", "smooth_l1", "huber")),
        OpCase("binary_cross_entropy_with_logits", (normal(3, 4, scale=3), _labels()),
               {"reduction": red}, bce_logits_ref, tnf("binary_cross_entropy_with_logits"),
               id=red),
    ]
LOSS_CASES += [
    OpCase("cross_entropy", (_logits3, _target3), {}, cross_entropy_ref, tnf("cross_entropy"),
           id="spatial"),
    OpCase("cross_entropy", (_logits, _ignored), {}, cross_entropy_ref, tnf("cross_entropy"),
           id="ignore-index"),
    OpCase("cross_entropy", (normal(5), np.array(2)), {}, cross_entropy_ref, tnf("cross_entropy"),
           id="unbatched"),
    OpCase("cross_entropy", (_logits, _probs), {}, cross_entropy_ref, tnf("cross_entropy"),
           id="soft-labels"),
    OpCase("cross_entropy", (_logits, _ignored), {"label_smoothing": 0.2}, cross_entropy_ref,
           tnf("cross_entropy"), id="smoothing-ignore"),
    # Class weights as a list (float32-exact values): torch has no gradient for them.
    OpCase("cross_entropy", (_logits, _ignored, [0.5, 2.0, 1.0, 0.25]), {}, cross_entropy_ref,
           _ce_torch, id="weight-ignore"),
    OpCase("cross_entropy", (_logits3, _target3, [1.0, 0.5, 2.0]),
           {"label_smoothing": 0.1, "reduction": "sum"}, cross_entropy_ref, _ce_torch,
           id="weight-smoothing-spatial"),
    OpCase("cross_entropy", (_logits, _probs, [0.5, 2.0, 1.0, 0.25]), {"reduction": "none"},
           cross_entropy_ref, _ce_torch, id="weight-soft"),
    OpCase("cross_entropy", (_logits3, _target3), {"label_smoothing": 0.1, "reduction": "none"},
           cross_entropy_ref, tnf("cross_entropy"), id="smoothing-spatial"),
    OpCase("cross_entropy", (_logits, _probs), {"label_smoothing": 0.3, "reduction": "sum"},
           cross_entropy_ref, tnf("cross_entropy"), id="smoothing-soft"),
    OpCase("nll_loss", (log_softmax_ref(_logits3), _target3), {"reduction": "sum"}, nll_ref,
           tnf("nll_loss"), id="spatial"),
    OpCase("nll_loss", (log_softmax_ref(_logits), _ignored), {"ignore_index": -100}, nll_ref,
           tnf("nll_loss"), id="ignore-index"),
    OpCase("nll_loss_grad", (np.array(0.5), _ignored), {"shape": (6, 4)}, nll_grad_ref,
           _nll_grad_torch, id="ignore-index"),
    OpCase("nll_loss_grad", (normal(2, 5), _target3), {"shape": (2, 3, 5), "reduction": "none"},
           nll_grad_ref, _nll_grad_torch, id="spatial"),
    OpCase("mse_loss", (normal(2, 3), normal(2, 3)), {}, mse_ref, tnf("mse_loss"), id="alias"),
    OpCase("smooth_l1_loss", _apart_from(0.0, 2, 3), {"beta": 0.0}, smooth_l1_ref,
           tnf("smooth_l1_loss"), id="beta-0-is-l1"),
    OpCase("regression_loss", (normal(5), normal(5)), {"kind": "huber", "param": 1e6},
           regression_ref, _regression_torch, id="all-quadratic"),
    # Weights as lists of float32-exact values: torch has no gradient for them.
    OpCase("binary_cross_entropy", (_probs, _labels((6, 4)), [[0.5], [2.0], [1.0], [0.25], [1.0],
                                                        [4.0]]), {"reduction": "sum"}, bce_ref,
           _weights_torch("binary_cross_entropy"), id="weight-rows"),
    OpCase("binary_cross_entropy_with_logits", (normal(6, 4, scale=3), _labels((6, 4)),
                                                [0.5, 2.0, 1.0, 0.25]),
           {"pos_weight": [3.0, 0.5, 1.0, 2.0]}, bce_logits_ref,
           _weights_torch("binary_cross_entropy_with_logits"), id="weight-pos-weight"),
    OpCase("binary_cross_entropy_with_logits", (np.array([-800.0, 0.3, 800.0]),
                                                np.array([1.0, 0.5, 0.0])),
           {"pos_weight": [2.0], "reduction": "none"}, bce_logits_ref,
           _weights_torch("binary_cross_entropy_with_logits"), grad=False,
           id="pos-weight-huge-logits"),
    OpCase("binary_cross_entropy", (np.array([1e-50, 0.5, 1.0]), np.array([1.0, 0.0, 0.0])),
           {}, bce_ref, tnf("binary_cross_entropy"), grad=False, id="clamped-log"),
    OpCase("binary_cross_entropy_with_logits", (np.array([-800.0, 0.3, 800.0]),
                                                np.array([0.0, 1.0, 1.0])),
           {}, bce_logits_ref, tnf("binary_cross_entropy_with_logits"), grad=False,
           id="huge-logits"),
]
