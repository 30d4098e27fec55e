"""Public PyTorch-style models traced as written (issue 17): the MNIST CNN of pytorch/examples
(``torch.flatten(x, 1)`` and ``x.view(x.size(0), -1)``), a one-block minGPT (nanoGPT's
``view(B, T, nh, hs)``, ``transpose``, ``masked_fill``, ``(logits, loss)`` with an optional
``targets``) and the word-level LSTM language model (an ``(h, c)`` state in and out), traced
with an unknown batch and run at two batch sizes, equal to eager. The models are the ones
the compile tests and `bench_compile_gpt.py` use (`benchmarks/torch_style_models.py`)."""

import numpy as np
import pytest

import eager
import static
from benchmarks.torch_style_models import CNN, GPT, RNNModel
from static import TensorSpec


@pytest.mark.parametrize("flatten", [True, False], ids=["torch.flatten", "view"])
def test_the_mnist_cnn_runs_for_any_batch(flatten):
    eager.manual_seed(0)
    net = CNN(image=16, flatten=flatten).eval()
    t = static.trace(net, TensorSpec((None, 1, 16, 16)))
    flat = next(n for n in t.graph.nodes if n.op == "reshape_dims")
    assert flat.aval.shape == (None, 288)  # known while building: fc1's check holds
    for batch in (3, 5):
        x = np.random.default_rng(batch).standard_normal((batch, 1, 16, 16)).astype(np.float32)
        np.testing.assert_allclose(t(x), net(eager.tensor(x)).numpy(), rtol=1e-5, atol=1e-6)


def test_a_gpt_block_returns_logits_and_an_optional_loss_for_any_batch():
    eager.manual_seed(1)
    gpt = GPT(n_embd=8, block_size=6, n_layer=1, attn_pdrop=0.0)  # no dropout: equal to eager
    spec = TensorSpec((None, 6), np.int64)
    infer = static.trace(gpt, spec)
    train = static.trace(gpt, spec, targets=spec)
    grad_w, = static.gradients(train.outputs[1], [train.variables[0]])
    session = static.Session(train.graph)
    for batch in (3, 5):
        rng = np.random.default_rng(batch)
        idx, tgt = rng.integers(0, 11, (batch, 6)), rng.integers(0, 11, (batch, 6))
        gpt.zero_grad()
        logits, loss = gpt(eager.tensor(idx), eager.tensor(tgt))
        loss.backward()
        got_logits, got_none = infer(idx)
        assert got_none is None
        np.testing.assert_allclose(got_logits, logits.detach().numpy(), rtol=1e-5, atol=1e-6)
        got_logits, got_loss = train(idx, targets=tgt)
        np.testing.assert_allclose(got_loss, loss.item(), rtol=1e-5)
        feeds = {train.inputs[0]: idx, train.inputs[1]: tgt}
        np.testing.assert_allclose(session.run(grad_w, feeds), gpt.wte.weight.grad.numpy(),
                                   rtol=1e-4, atol=1e-6)


def test_the_lstm_language_model_carries_its_state_as_a_tuple_or_in_a_dict():
    eager.manual_seed(2)
    model = RNNModel().eval()
    state = (TensorSpec((2, None, 5)), TensorSpec((2, None, 5)))
    step = static.trace(model, TensorSpec((7, None), np.int64), state)

    def batch_step(batch):
        out, (h, c) = model(batch["tokens"], batch["state"])
        return {"logp": out, "state": (h, c)}

    by_dict = static.trace(batch_step, {"tokens": TensorSpec((7, None), np.int64),
                                        "state": state})
    for batch in (3, 4):
        rng = np.random.default_rng(batch)
        tokens = rng.integers(0, 13, (7, batch))
        h, c = model.init_hidden(batch)
        hidden = (h.numpy() + 0.1, c.numpy() - 0.1)
        want_out, (want_h, want_c) = model(eager.tensor(tokens),
                                           tuple(eager.tensor(s) for s in hidden))
        out, (h2, c2) = step(tokens, hidden)
        got = by_dict({"tokens": tokens, "state": hidden})
        for o, hh, cc in ((out, h2, c2), (got["logp"], *got["state"])):
            np.testing.assert_allclose(o, want_out.numpy(), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(hh, want_h.numpy(), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(cc, want_c.numpy(), rtol=1e-5, atol=1e-6)
