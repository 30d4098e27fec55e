"""Numerics at the extremes, in every mode, against PyTorch (float32, forward and gradient).

Each case runs one function of the softmax/loss/activation family on extreme inputs (logits
of 1e7 and 3e38, -inf entries, probabilities of exactly 0 and 1, logits of +-1e4) through
eager (the fused immediate forms), eager with ``shared_ops.decomposed()``, the static
interpreter and the compiled static executor (every pass on), and holds value and gradient
to torch's: within 1e-6 relative, nan and inf where torch has them, finite where it is.
The gradient is that of ``sum(out * w)`` for a fixed, uneven ``w`` (a plain sum would make
softmax's gradient 0 everywhere). A few exact values that need no torch come last.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import pytest

import eager
import shared_ops as ops
import static

F32 = np.float32
INF = np.inf


def _a(*rows):
    return np.array(rows, F32)


# --- the cases ---------------------------------------------------------------------------------
# Rows for the softmax family: each extreme row next to a plain one, so the kernels' batched
# fast paths run. Two rows with a max of 3e38 overflowed the sum of the row maxima.
LOGITS = {
    "1e7": _a([1e7, 1e7, 0], [0.5, -1, 2]),
    "90": _a([90, 90, 0], [-90, 0, 90]),
    "3e38": _a([3e38, 3e38, 0], [3e38, -3e38, 1]),
    "-inf": _a([-INF, 0, 1], [-INF, -INF, 5]),
    "1e4": _a([1e4, -1e4, 0], [-1e4, -1e4, -1e4]),
}
PROBS = np.array([0.0, 1.0, 0.5, 1e-30, 1 - 6e-8, 1e-45], F32)
LOGITS_1D = np.array([1e4, -1e4, 0, 100, -100, 30, -30, 50], F32)
SOFT_TARGET = _a([0.25, 0.25, 0.5], [0.1, 0.6, 0.3])


@functools.cache
def _torch():
    torch = pytest.importorskip("torch")
    return torch, torch.nn.functional


def _case(name, fn, tfn, floats, others=(), tol="elementwise"):
    return pytest.param(fn, tfn, floats, others, tol, id=name)


def _softmax_family():
    for key, x in LOGITS.items():
        yield _case(f"softmax-{key}", lambda a: ops.softmax(a, axis=-1),
                    lambda t, a: t[1].softmax(a, -1), (x,), tol="rows")
        yield _case(f"log_softmax-{key}", lambda a: ops.log_softmax(a, axis=1),
                    lambda t, a: t[1].log_softmax(a, 1), (x,), tol="rows")
        yield _case(f"logsumexp-{key}", lambda a: ops.logsumexp(a, axis=1),
                    lambda t, a: t[0].logsumexp(a, 1), (x,), tol="rows")
        for target in ([0, 2], [2, 1]):
            yield _case(f"cross_entropy-{key}-{target}", ops.cross_entropy,
                        lambda t, a, y: t[1].cross_entropy(a, y), (x,), (np.array(target),),
                        tol="rows")
        yield _case(f"cross_entropy-none-{key}",
                    lambda a, y: ops.cross_entropy(a, y, reduction="none"),
                    lambda t, a, y: t[1].cross_entropy(a, y, reduction="none"), (x,),
                    (np.array([1, 0]),), tol="rows")
        yield _case(f"cross_entropy-probs-{key}", ops.cross_entropy,
                    lambda t, a, y: t[1].cross_entropy(a, y), (x,), (SOFT_TARGET,),
                    tol="rows")
    logp = _a([-INF, 0, -3e38], [0, -1e-45, -100])
    for reduction in ("mean", "none"):
        yield _case(f"nll_loss-{reduction}", lambda a, y, r=reduction: ops.nll_loss(
                        a, y, reduction=r), lambda t, a, y, r=reduction: t[1].nll_loss(
                        a, y, reduction=r), (logp,), (np.array([1, 2]),))


def _bce_family():
    for y in ([1, 0, 1, 0.3, 0, 1], [0, 1, 0, 1, 1, 0]):
        target = np.array(y, F32)
        yield _case(f"bce-{y}", ops.binary_cross_entropy,
                    lambda t, p, y: t[1].binary_cross_entropy(p, y), (PROBS,), (target,))
        yield _case(f"bce-sum-{y}", lambda p, y: ops.binary_cross_entropy(p, y, reduction="sum"),
                    lambda t, p, y: t[1].binary_cross_entropy(p, y, reduction="sum"),
                    (PROBS,), (target,))
    weight = np.linspace(0.5, 2, 6).astype(F32)
    yield _case("bce-weighted", lambda p, y: ops.binary_cross_entropy(p, y, weight=weight),
                lambda t, p, y: t[1].binary_cross_entropy(p, y, weight=t[0].tensor(weight)),
                (PROBS,), (np.array([0, 1, 0, 1, 1, 0], F32),))
    for y in ([0, 1, 1, 0, 1, 0, 1, 0], [1, 0, 0, 1, 0, 1, 0, 1]):
        target = np.array(y, F32)
        yield _case(f"bce_with_logits-{y}", ops.binary_cross_entropy_with_logits,
                    lambda t, z, y: t[1].binary_cross_entropy_with_logits(z, y),
                    (LOGITS_1D,), (target,))
        yield _case(f"bce_of_sigmoid-{y}",
                    lambda z, y: ops.binary_cross_entropy(ops.sigmoid(z), y),
                    lambda t, z, y: t[1].binary_cross_entropy(t[0].sigmoid(z), y),
                    (LOGITS_1D,), (target,))
    pos_weight = np.linspace(0.5, 3, 8).astype(F32)
    yield _case("bce_with_logits-pos_weight",
                lambda z, y: ops.binary_cross_entropy_with_logits(z, y, pos_weight=pos_weight),
                lambda t, z, y: t[1].binary_cross_entropy_with_logits(
                    z, y, pos_weight=t[0].tensor(pos_weight)),
                (LOGITS_1D,), (np.array([0, 1, 1, 0, 1, 0, 1, 0], F32),))
    yield _case("sigmoid", ops.sigmoid, lambda t, z: t[0].sigmoid(z), (LOGITS_1D,))
    yield _case("tanh", ops.tanh, lambda t, z: t[0].tanh(z), (LOGITS_1D,))


CASES = [*_softmax_family(), *_bce_family()]
MODES = ["eager", "eager-decomposed", "interpret", "compiled"]


# --- running a case ----------------------------------------------------------------------------
def _cotangent(shape) -> np.ndarray:
    return np.linspace(1, 2, int(np.prod(shape))).astype(F32).reshape(shape)


def _eager(fn, floats, others, decompose):
    xs = [eager.tensor(a, requires_grad=True) for a in floats]
    args = [*xs, *map(eager.tensor, others)]
    with ops.decomposed() if decompose else contextlib.nullcontext():
        out = fn(*args)
        (out * eager.tensor(_cotangent(out.shape))).sum().backward()
    return out.detach().numpy(), [x.grad.numpy() for x in xs]


def _static(fn, floats, others, executor):
    with static.Graph() as g:
        xs = [static.placeholder(a.shape, a.dtype) for a in floats]
        rest = [static.placeholder(a.shape, a.dtype) for a in others]
        out = fn(*xs, *rest)
        grads = static.gradients(ops.sum(ops.mul(out, _cotangent(out.shape))), xs)
    feeds = dict(zip(xs + rest, [*floats, *others], strict=True))
    value, *grads = static.Session(g, executor=executor).run([out, *grads], feeds)
    return value, grads


def _run(mode, fn, floats, others):
    if mode.startswith("eager"):
        return _eager(fn, floats, others, decompose=mode == "eager-decomposed")
    return _static(fn, floats, others, mode)


_TORCH_RESULTS: dict[str, tuple] = {}


def _oracle(tfn, floats, others):
    torch, nnf = _torch()
    xs = [torch.tensor(a, requires_grad=True) for a in floats]
    out = tfn((torch, nnf), *xs, *map(torch.tensor, others))
    (out * torch.tensor(_cotangent(tuple(out.shape)))).sum().backward()
    return out.detach().numpy(), [x.grad.numpy() for x in xs]


def _assert_close(got, want, what, atol):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, \
        f"{what}: {got.dtype}{got.shape}, torch {want.dtype}{want.shape}"
    finite = np.isfinite(want)
    assert np.isfinite(got[finite]).all(), f"{what}: not finite where torch is:\n{got}\n{want}"
    np.testing.assert_array_equal(got[~finite], want[~finite], err_msg=f"{what}: nan/inf")
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-6, atol=atol, err_msg=what)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fn, tfn, floats, others, tol", CASES)
def test_matches_torch_at_the_extremes(request, mode, fn, tfn, floats, others, tol):
    key = request.node.callspec.id[:-len(mode) - 1]  # the case's id, without the mode
    if key not in _TORCH_RESULTS:
        _TORCH_RESULTS[key] = _oracle(tfn, floats, others)
    want_value, want_grads = _TORCH_RESULTS[key]
    value, grads = _run(mode, fn, floats, others)
    _assert_close(value, want_value, "value", atol=1e-30)
    for g, w in zip(grads, want_grads, strict=True):
        # A row's gradient is a difference of terms of the cotangent's size (g - sum(g p)):
        # rounded differently than torch's, it may differ by a few float32 ulps of those.
        _assert_close(g, w, "gradient", atol=1e-6 if tol == "rows" else 1e-12)


# --- exact values, no torch needed ------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_softmax_of_huge_equal_logits_is_exactly_one_half(mode):
    value, (grad,) = _run(mode, lambda a: ops.softmax(a, axis=-1), (_a([1e7, 1e7, 0]),), ())
    np.testing.assert_array_equal(value, [[0.5, 0.5, 0]])
    w = _cotangent((1, 3))  # the gradient is out * (w - sum(w out))
    np.testing.assert_allclose(grad, 0.5 * (w - w[:, :2].mean()) * [1, 1, 0], rtol=1e-6)


@pytest.mark.parametrize("mode", MODES)
def test_bce_at_certain_probabilities_is_clamped_and_its_gradient_finite(mode):
    # log 0 clamped at -100: a sure wrong answer costs 100; PyTorch's gradient
    # (p - y) / max(p (1 - p), 1e-12) is +-1e12 there, and 0 for a sure right one.
    p, y = np.array([0, 1, 0, 1], F32), np.array([1, 0, 0, 1], F32)
    value, (grad,) = _run(mode, lambda a, b: ops.binary_cross_entropy(a, b, reduction="none"),
                          (p,), (y,))
    np.testing.assert_array_equal(value, [100, 100, 0, 0])
    np.testing.assert_allclose(grad, np.array([-1e12, 1e12, 0, 0]) * _cotangent(4), rtol=1e-6)


@pytest.mark.parametrize("mode", MODES)
def test_bce_of_a_saturated_sigmoid_clamps_like_torch(mode):
    # sigmoid(50) is 1.0 in float32, so log(1 - p) is clamped: 100, not the logits form's 50.
    value, (grad,) = _run(mode, lambda z, y: ops.binary_cross_entropy(ops.sigmoid(z), y),
                          (np.array([50, 0], F32),), (np.array([0, 1], F32),))
    np.testing.assert_allclose(value, (100 + np.log(2)) / 2, rtol=1e-6)
    np.testing.assert_allclose(grad, [0, -0.25], rtol=1e-6)
