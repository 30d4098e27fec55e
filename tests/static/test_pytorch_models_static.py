"""Public PyTorch-style models traced as written (issue 17): the MNIST CNN of pytorch/examples
(``torch.flatten(x, 1)`` and ``x.view(x.size(0), -1)``), a GPT attention block (nanoGPT's
``view(B, T, nh, hs)``, ``transpose``, ``masked_fill``, ``(logits, loss)`` with an optional
``targets``) and the word-level LSTM language model (an ``(h, c)`` state in and out), traced
with an unknown batch and run at two batch sizes, equal to eager."""

import math

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F
import static
from static import TensorSpec


class Net(nn.Module):
    """pytorch/examples mnist/main.py, smaller."""

    def __init__(self, flatten: bool):
        super().__init__()
        self.flatten = flatten
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.fc1 = nn.Linear(8 * 6 * 6, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = eager.flatten(x, 1) if self.flatten else x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


@pytest.mark.parametrize("flatten", [True, False], ids=["torch.flatten", "view"])
def test_the_mnist_cnn_runs_for_any_batch(flatten):
    eager.manual_seed(0)
    net = Net(flatten).eval()
    t = static.trace(net, TensorSpec((None, 1, 16, 16)))
    flat = next(n for n in t.graph.nodes if n.op == "reshape_dims")
    assert flat.aval.shape == (None, 288)  # known while building: fc1's check holds
    for batch in (3, 5):
        x = np.random.default_rng(batch).standard_normal((batch, 1, 16, 16)).astype(np.float32)
        np.testing.assert_allclose(t(x), net(eager.tensor(x)).numpy(), rtol=1e-5, atol=1e-6)


class CausalSelfAttention(nn.Module):
    """nanoGPT's model.py CausalSelfAttention (the non-flash path), as written there."""

    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head, self.n_embd = n_head, n_embd
        self.register_buffer("bias", eager.tril(eager.ones(block_size, block_size))
                             .view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class GPT(nn.Module):
    def __init__(self, vocab=11, n_embd=8, n_head=2, block_size=6):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.ln = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}"
        pos = eager.arange(0, t, dtype=eager.int64)
        x = self.wte(idx) + self.wpe(pos)
        x = x + self.attn(self.ln(x))
        logits = self.lm_head(x)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


def test_a_gpt_block_returns_logits_and_an_optional_loss_for_any_batch():
    eager.manual_seed(1)
    gpt = GPT()
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


class RNNModel(nn.Module):
    """pytorch/examples word_language_model/model.py, the LSTM case."""

    def __init__(self, ntoken=13, ninp=6, nhid=5, nlayers=2, dropout=0.2):
        super().__init__()
        self.ntoken, self.nlayers, self.nhid = ntoken, nlayers, nhid
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input, hidden):  # noqa: A002 (the example's names)
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


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
