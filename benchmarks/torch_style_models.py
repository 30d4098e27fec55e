"""Small eager models written in the style of public PyTorch programs, shared by the compile
and tracing tests and by `bench_compile_gpt.py` (one copy, so that a test and the benchmark
exercise the same code): a Linear with a data-dependent ``if`` (`Gated`), the MNIST CNN of
pytorch/examples (``torch.flatten(x, 1)`` or ``x.view(x.size(0), -1)``, dropout), its
word-level LSTM language model (an ``(h, c)`` state carried between batches), and a
minGPT-style transformer (token + position embedding, causal self-attention with
``view``/``transpose``/``masked_fill``/``softmax``, ``(logits, loss)`` with optional targets).

>>> import eager
>>> logits, loss = GPT(n_layer=1)(eager.zeros(2, 8, dtype=eager.int64))
>>> tuple(logits.shape), loss
((2, 8, 11), None)
"""

from __future__ import annotations

import math

import eager
import eager.nn as nn
import eager.nn.functional as F


class MLP(nn.Module):
    """Two Linear layers and a ReLU: 6 features in, 3 classes out."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(6, 16), nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


class Gated(nn.Module):
    """A Linear whose output is doubled where it sums above zero: Python control flow on a
    tensor's value, fine eagerly, a graph break for `static.compile` and an error for
    `static.function` (the tests find the ``if`` at ``forward``'s first line + 2)."""

    def __init__(self, features: int = 3) -> None:
        super().__init__()
        self.fc = nn.Linear(features, features)

    def forward(self, x):
        h = self.fc(x)
        if h.sum() > 0:  # data-dependent Python control flow
            return h * 2
        return h


class CNN(nn.Module):
    """pytorch/examples mnist/main.py, smaller: ``image`` x ``image`` one-channel inputs;
    ``flatten=False`` flattens with ``x.view(x.size(0), -1)`` as many programs do."""

    def __init__(self, image: int = 12, flatten: bool = True) -> None:
        super().__init__()
        self.flatten = flatten
        side = (image - 4) // 2  # two 3x3 convolutions, then a 2x2 max-pool
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(8 * side * side, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = eager.flatten(x, 1) if self.flatten else x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return F.log_softmax(self.fc2(x), dim=1)


class RNNModel(nn.Module):
    """pytorch/examples word_language_model/model.py, the LSTM case."""

    def __init__(self, ntoken: int = 13, ninp: int = 6, nhid: int = 5, nlayers: int = 2,
                 dropout: float = 0.2) -> None:
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
        decoded = self.decoder(output).view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz: int):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


class CausalSelfAttention(nn.Module):
    """nanoGPT's CausalSelfAttention (the non-flash path)."""

    def __init__(self, n_embd: int, n_head: int, block_size: int,
                 attn_pdrop: float = 0.1) -> None:
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        # No dropout at all for p=0 (not Dropout(0)): the benchmark times no extra op and a
        # training-mode trace has no random mask to match.
        self.attn_dropout = nn.Dropout(attn_pdrop) if attn_pdrop else nn.Identity()
        self.n_head, self.n_embd = n_head, n_embd
        self.register_buffer("bias", eager.tril(eager.ones(block_size, block_size))
                             .view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        # Heads by view/transpose, one expression for q, k and v (nanoGPT writes a line each;
        # tests/programs/scripts/tiny_gpt.py keeps that form).
        q, k, v = (z.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
                   for z in self.c_attn(x).split(self.n_embd, dim=2))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = self.attn_dropout(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(nn.Module):
    """A pre-norm transformer block: attention, then a GELU MLP, each with a residual."""

    def __init__(self, n_embd: int, n_head: int, block_size: int,
                 attn_pdrop: float = 0.1) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size, attn_pdrop)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(),
                                 nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """minGPT's model, small: ``forward(idx, targets=None) -> (logits, loss)``."""

    def __init__(self, vocab: int = 11, n_embd: int = 16, n_head: int = 2,
                 block_size: int = 8, n_layer: int = 2, attn_pdrop: float = 0.1) -> None:
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList([Block(n_embd, n_head, block_size, attn_pdrop)
                                     for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}"
        pos = eager.arange(0, t, dtype=eager.int64)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss
