"""``rnn_sequence``'s two forms of one gradient (NumPy on arrays in eager backward, ops on
Tensors and graph values) agree; whole ``nn.GRU``/``nn.LSTM``/``nn.RNN`` layers, now one op a
layer, match PyTorch's outputs and gradients in float32; a layer's gradient of a gradient
still works in eager mode (create_graph), through the ops form."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops as ops

torch = pytest.importorskip("torch")

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def _args(mode, rng, b=3, t=5, f=4, n=3):
    g = GATES[mode]
    return [rng.standard_normal((b, t, f)), rng.standard_normal((b, n)) * 0.5,
            rng.standard_normal((b, n)) * 0.5, rng.standard_normal((g * n, f)) * 0.5,
            rng.standard_normal((g * n, n)) * 0.5, rng.standard_normal(g * n) * 0.3,
            rng.standard_normal(g * n) * 0.3]


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("mode", sorted(GATES))
def test_array_and_op_forms_of_the_gradient_agree(mode, reverse):
    rng = np.random.default_rng(11)
    args = _args(mode, rng)
    attrs = {"mode": mode, "reverse": reverse}
    out = ops.rnn_sequence(*args, **attrs)
    g = rng.standard_normal(out.shape)
    vjp = ops.OPS["rnn_sequence"].vjp
    on_arrays = vjp(g, args, out, **attrs)
    tensors = [eager.from_numpy(a) for a in args]
    on_tensors = vjp(eager.from_numpy(g), tensors, eager.from_numpy(out), **attrs)
    for i, (a, t) in enumerate(zip(on_arrays, on_tensors, strict=True)):
        np.testing.assert_allclose(a, t.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=f"{mode}: input {i}")


def _layers(mode, seed=0):
    """The same 2-layer bidirectional layer in eager and torch (torch's weights copied)."""
    kind = {"LSTM": "LSTM", "GRU": "GRU"}.get(mode, "RNN")
    kwargs = {} if kind != "RNN" else {"nonlinearity": mode[4:].lower()}
    torch.manual_seed(seed)
    theirs = getattr(torch.nn, kind)(4, 5, num_layers=2, bidirectional=True, **kwargs)
    ours = getattr(eager.nn, kind)(4, 5, num_layers=2, bidirectional=True, **kwargs)
    ours.load_state_dict({k: eager.from_numpy(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})
    return ours, theirs


@pytest.mark.parametrize("mode", sorted(GATES))
def test_layers_match_torch_values_and_gradients(mode):
    ours, theirs = _layers(mode)
    x = np.random.default_rng(3).standard_normal((6, 2, 4)).astype(np.float32)
    xo, xt = eager.from_numpy(x).requires_grad_(), torch.tensor(x, requires_grad=True)
    out_o, state_o = ours(xo)
    out_t, state_t = theirs(xt)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), atol=2e-6)
    h_o = state_o[0] if mode == "LSTM" else state_o
    h_t = state_t[0] if mode == "LSTM" else state_t
    np.testing.assert_allclose(h_o.detach().numpy(), h_t.detach().numpy(), atol=2e-6)
    ((out_o ** 2).sum() + h_o.sum()).backward()
    ((out_t ** 2).sum() + h_t.sum()).backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), atol=2e-5)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=5e-5, err_msg=name)


@pytest.mark.parametrize("mode", ["GRU", "LSTM"])
def test_gradient_of_gradient_in_eager_matches_torch(mode):
    """create_graph=True runs the ops form, recorded: its gradient is torch's double
    backward (float64)."""
    ours, theirs = _layers(mode, seed=1)
    ours.double()
    theirs.double()
    x = np.random.default_rng(5).standard_normal((4, 2, 4))
    results = []
    for lib, layer in ((eager, ours), (torch, theirs)):
        xv = lib.from_numpy(x.copy()).requires_grad_()
        out, _ = layer(xv)
        (gx,) = lib.autograd.grad((out ** 2).sum(), xv, create_graph=True)
        (ggx,) = lib.autograd.grad((gx ** 2).sum(), xv)
        results.append((gx.detach().numpy(), ggx.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-8, atol=1e-10)
