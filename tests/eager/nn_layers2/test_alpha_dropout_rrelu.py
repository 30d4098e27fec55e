"""AlphaDropout, FeatureAlphaDropout, RReLU and their functional forms against torch: the
same numbers from the same seed (torch's CPU random stream), gradients, eval mode, reprs,
signatures and errors."""

import inspect

import numpy as np
import pytest
from nn_parity import randn
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _seeded(lib, fn, x, seed=3):
    lib.manual_seed(seed)
    t = lib.tensor(x, requires_grad=True)
    out = fn(lib, t)
    g = np.random.default_rng(1).standard_normal(tuple(out.shape)).astype(x.dtype)
    (out * lib.tensor(g)).sum().backward()
    after = lib.rand(3)  # the generator's position afterwards
    return out.detach().numpy(), t.grad.numpy(), after.numpy()


def _same_stream(fn, x):
    for ours, theirs in zip(_seeded(eager, fn, x), _seeded(torch, fn, x), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_alpha_dropout_draws_torch_s_masks(p, dtype):
    x = randn(4, 3, 5).astype(dtype)
    _same_stream(lambda L, t: L.nn.functional.alpha_dropout(t, p, True), x)
    _same_stream(lambda L, t: L.nn.functional.feature_alpha_dropout(t, p, True), x)
    _same_stream(lambda L, t: L.nn.AlphaDropout(p)(t), x)
    _same_stream(lambda L, t: L.nn.FeatureAlphaDropout(p)(t), x)


def test_alpha_dropout_edge_probabilities_and_eval():
    x = randn(3, 4)
    for fn in (lambda L, t: L.nn.functional.alpha_dropout(t, 1.0, True),
               lambda L, t: L.nn.functional.alpha_dropout(t, 0.5),  # training=False default
               lambda L, t: L.nn.AlphaDropout(0.5).eval()(t),
               lambda L, t: L.nn.functional.feature_alpha_dropout(t, 0.0, True)):
        _same_stream(fn, x)


def test_alpha_dropout_keeps_selu_statistics():
    eager.manual_seed(0)
    x = F.selu(eager.randn(200_000))
    y = F.alpha_dropout(x, 0.3, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.std() - 1.0) < 0.01


@pytest.mark.parametrize("lower,upper", [(1 / 8, 1 / 3), (0.1, 0.6)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rrelu_draws_torch_s_slopes(lower, upper, dtype):
    x = randn(5, 6).astype(dtype)
    _same_stream(lambda L, t: L.nn.functional.rrelu(t, lower, upper, training=True), x)
    _same_stream(lambda L, t: L.nn.RReLU(lower, upper)(t), x)
    _same_stream(lambda L, t: L.nn.RReLU(lower, upper).eval()(t), x)
    _same_stream(lambda L, t: L.nn.functional.rrelu(t, lower, upper), x)


def test_rrelu_inplace_forms_match_torch():
    x = randn(4, 5)
    for lib in (eager, torch):
        lib.manual_seed(7)
    a, b = eager.tensor(x), torch.tensor(x)
    F.rrelu_(a, training=True)
    TF.rrelu_(b, training=True)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    assert repr(nn.RReLU(0.2, 0.4, True)) == repr(torch.nn.RReLU(0.2, 0.4, True))


def test_reprs_and_signatures_are_torch_s():
    for name, args in [("AlphaDropout", (0.2,)), ("FeatureAlphaDropout", (0.3, True)),
                       ("RReLU", ()), ("RReLU", (0.1, 0.2))]:
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    for name in ("alpha_dropout", "feature_alpha_dropout", "rrelu"):
        ours, theirs = (inspect.signature(getattr(m, name)) for m in (F, TF))
        assert [(p.name, p.default) for p in ours.parameters.values()] == \
            [(p.name, p.default) for p in theirs.parameters.values()]


def test_errors_are_torch_s():
    x = randn(3, 4)
    assert_same_error(ValueError, lambda: F.alpha_dropout(eager.tensor(x), 1.5, True),
                      lambda: TF.alpha_dropout(torch.tensor(x), 1.5, True))
    assert_same_error(ValueError, lambda: nn.AlphaDropout(-0.1),
                      lambda: torch.nn.AlphaDropout(-0.1))
    assert_same_error(RuntimeError,
                      lambda: F.feature_alpha_dropout(eager.tensor(x[0]), 0.5, True),
                      lambda: TF.feature_alpha_dropout(torch.tensor(x[0]), 0.5, True))
