"""Dropout masks are PyTorch's after the same seed (functional, modules, and the dropout inside
RNNs and attention), and the generator ends where PyTorch's does."""

import warnings

import numpy as np
import pytest

import eager
import shared_ops

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((4, 6, 5, 5)).astype(np.float32)
CASES = [("dropout", X, 0.3), ("dropout", X, 0.9), ("dropout", X.astype(np.float64), 0.5),
         ("dropout", X, 1.0), ("dropout", X[:0], 0.5), ("dropout2d", X, 0.5),
         ("dropout1d", X[:, :, :, 0], 0.4), ("dropout1d", X[0, :, :, 0], 0.4),
         ("dropout3d", X[None], 0.5)]


@pytest.mark.parametrize(("name", "x", "p"), CASES)
def test_functional_dropout_equals_torchs(name, x, p):
    torch.manual_seed(1)
    expected = getattr(torch.nn.functional, name)(torch.tensor(x), p).numpy()
    their_next = torch.rand(3).numpy()
    eager.manual_seed(1)
    got = getattr(eager.nn.functional, name)(eager.tensor(x), p).numpy()
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(eager.rand(3).numpy(), their_next)


def test_dropout_module_values_and_gradients_equal_torchs():
    torch.manual_seed(2)
    xt = torch.tensor(X, requires_grad=True)
    yt = torch.nn.Dropout(0.5)(xt)
    yt.sum().backward()
    eager.manual_seed(2)
    xe = eager.tensor(X, requires_grad=True)
    ye = eager.nn.Dropout(0.5)(xe)
    ye.sum().backward()
    np.testing.assert_array_equal(ye.detach().numpy(), yt.detach().numpy())
    np.testing.assert_array_equal(xe.grad.numpy(), xt.grad.numpy())
    assert ye.grad_fn.name() == yt.grad_fn.name() == "MulBackward0"


MODELS = {"lstm": lambda nn: nn.LSTM(8, 6, num_layers=3, dropout=0.4),
          "gru": lambda nn: nn.GRU(8, 6, num_layers=2, dropout=0.5, bidirectional=True),
          "encoder_layer": lambda nn: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3)}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_dropout_inside_layers_draws_torchs_masks(name):
    x = np.random.default_rng(1).standard_normal((5, 3, 8)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        out_t = MODELS[name](torch.nn).train()(torch.tensor(x))
        eager.manual_seed(0)
        out_e = MODELS[name](eager.nn).train()(eager.tensor(x))
    out_t = out_t[0] if isinstance(out_t, tuple) else out_t
    out_e = out_e[0] if isinstance(out_e, tuple) else out_e
    np.testing.assert_allclose(out_e.detach().numpy(), out_t.detach().numpy(), atol=1e-6)
    assert eager.rand(1).item() == torch.rand(1).item()


def test_no_draw_when_not_training():
    eager.manual_seed(5)
    first = eager.rand(1).item()
    eager.manual_seed(5)
    eager.nn.functional.dropout(eager.tensor(X), 0.5, training=False)
    assert eager.rand(1).item() == first


def test_a_harness_seed_source_keeps_the_seeded_masks():
    # The compare harness replaces eager's seed source so eager and a static graph share
    # masks: then dropout is the dropout_mask op of that seed, not PyTorch's stream.
    x = eager.ones(50)
    with shared_ops.using_seed_source("eager", lambda _x: 123):
        a = eager.nn.functional.dropout(x, 0.5).numpy()
        b = eager.nn.functional.dropout(x, 0.5).numpy()
    expected = shared_ops.dropout(np.ones(50, np.float32), np.int64(123), p=0.5)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, expected)
