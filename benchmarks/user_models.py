"""The models of the user-facing performance table (`bench_user_table.py`), written once for
any PyTorch-like library: ``lib`` is ``eager`` or ``torch``, the code the same for both.

* `mnist_cnn`: pytorch/examples' MNIST network (conv 32/64 3x3, max-pool, dropout, fc
  9216-128-10), a batch of 64 28x28 images;
* `word_lm`: pytorch/examples' word language model (embedding, a 2-layer GRU / RNN_TANH /
  LSTM, decoder tied to the embedding), 35 steps x batch 20, gradient clipping;
* `char_transformer`: a makemore-style character transformer (4 pre-norm blocks of causal
  self-attention and an MLP with makemore's tanh-approximated GELU), block 64, batch 16.

Each ``*_step(lib, seed)`` returns a no-argument training step: forward, loss, backward and
an SGD update, the data fixed (drawn once from NumPy, so both libraries see the same).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sgd_step import sgd_step  # a sibling (benchmarks/ is on sys.path)


# --- MNIST CNN ----------------------------------------------------------------------------------
def mnist_cnn(lib: Any) -> Any:
    """pytorch/examples' MNIST network, written as one ``nn.Sequential`` (its ``Net`` class,
    smaller, is tests/programs/scripts/mnist_cnn.py; benchmarks/torch_style_models.CNN)."""
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10), nn.LogSoftmax(dim=1))


def mnist_step(lib: Any, seed: int = 0, batch: int = 64) -> Callable[[], None]:
    rng = np.random.default_rng(seed)
    x = lib.from_numpy(rng.standard_normal((batch, 1, 28, 28)).astype(np.float32))
    y = lib.from_numpy(rng.integers(0, 10, batch))
    model = mnist_cnn(lib)
    return sgd_step(lib, model, lambda: lib.nn.functional.nll_loss(model(x), y), lr=0.01)


def mnist_static_step(seed: int = 0, batch: int = 64) -> Callable[[], None]:
    """The same CNN traced into a static graph (eager Module, SGD by ``minimize``) and run
    through ``Session.make_callable``: the compiled training step."""
    import eager
    import shared_ops as ops
    import static
    from static.tracing import trace

    rng = np.random.default_rng(seed)
    xb = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
    yb = rng.integers(0, 10, batch)
    model = mnist_cnn(eager)
    with static.Graph() as g:
        x = static.placeholder(xb.shape, name="x")
        y = static.placeholder(yb.shape, np.int64, name="y")
        loss = ops.nll_loss(trace(model, x), y)
        train = static.optim.SGD(lr=0.01).minimize(loss)
    step = static.Session(g).make_callable([loss, train], [x, y])
    return lambda: step(xb, yb)


# --- word language model ------------------------------------------------------------------------
def word_lm(lib: Any, mode: str, vocab: int, size: int, layers: int = 2) -> Any:
    nn = lib.nn

    class RNNModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = nn.Dropout(0.2)
            self.encoder = nn.Embedding(vocab, size)
            if mode in ("LSTM", "GRU"):
                self.rnn = getattr(nn, mode)(size, size, layers, dropout=0.2)
            else:
                self.rnn = nn.RNN(size, size, layers, nonlinearity=mode[4:].lower(), dropout=0.2)
            self.decoder = nn.Linear(size, vocab)
            self.decoder.weight = self.encoder.weight  # tied weights

        def forward(self, x: Any) -> Any:
            out, _ = self.rnn(self.drop(self.encoder(x)))
            return self.decoder(self.drop(out)).view(-1, vocab)

    return RNNModel()


def word_lm_step(lib: Any, mode: str, seed: int = 0, vocab: int = 1000, size: int = 128,
                 steps: int = 35, batch: int = 20) -> Callable[[], None]:
    rng = np.random.default_rng(seed)
    x = lib.from_numpy(rng.integers(0, vocab, (steps, batch)))
    y = lib.from_numpy(rng.integers(0, vocab, steps * batch))
    model = word_lm(lib, mode, vocab, size)
    loss_fn = lib.nn.CrossEntropyLoss()
    return sgd_step(lib, model, lambda: loss_fn(model(x), y), lr=1.0, clip=0.25)


# --- makemore-style character MLP -------------------------------------------------------------
def char_mlp(lib: Any, vocab: int = 27, block: int = 3, n_embd: int = 10,
             hidden: int = 200) -> Any:
    """makemore part 2's model: an embedding of the last ``block`` characters, one tanh layer,
    the next character's logits."""
    nn = lib.nn

    class CharMLP(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(vocab, n_embd)
            self.hidden = nn.Linear(block * n_embd, hidden)
            self.out = nn.Linear(hidden, vocab)

        def forward(self, idx: Any) -> Any:
            x = self.emb(idx).view(idx.shape[0], -1)
            return self.out(lib.tanh(self.hidden(x)))

    return CharMLP()


def char_mlp_step(lib: Any, seed: int = 0, vocab: int = 27, block: int = 3,
                  batch: int = 32) -> Callable[[], None]:
    rng = np.random.default_rng(seed)
    x = lib.from_numpy(rng.integers(0, vocab, (batch, block)))
    y = lib.from_numpy(rng.integers(0, vocab, batch))
    model = char_mlp(lib, vocab, block)
    return sgd_step(lib, model, lambda: lib.nn.functional.cross_entropy(model(x), y), lr=0.1)


# --- character transformer ----------------------------------------------------------------------
def char_transformer(lib: Any, vocab: int, block: int, n_embd: int = 64, n_head: int = 4,
                     n_layer: int = 4) -> Any:
    nn, F = lib.nn, lib.nn.functional

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln_1 = nn.LayerNorm(n_embd)
            self.qkv = nn.Linear(n_embd, 3 * n_embd)
            self.proj = nn.Linear(n_embd, n_embd)
            self.ln_2 = nn.LayerNorm(n_embd)
            self.fc = nn.Linear(n_embd, 4 * n_embd)
            self.fc_out = nn.Linear(4 * n_embd, n_embd)

        def forward(self, x: Any) -> Any:
            b, t, c = x.shape
            q, k, v = self.qkv(self.ln_1(x)).split(n_embd, dim=2)
            q, k, v = (z.view(b, t, n_head, c // n_head).transpose(1, 2) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(y.transpose(1, 2).reshape(b, t, c))
            return x + self.fc_out(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))

    class Transformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte = nn.Embedding(vocab, n_embd)
            self.wpe = nn.Embedding(block, n_embd)
            self.blocks = nn.ModuleList([Block() for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)
            self.head = nn.Linear(n_embd, vocab)

        def forward(self, idx: Any) -> Any:
            x = self.wte(idx) + self.wpe(lib.arange(idx.shape[1]))
            for blk in self.blocks:
                x = blk(x)
            return self.head(self.ln_f(x))

    return Transformer()


def char_transformer_step(lib: Any, seed: int = 0, vocab: int = 65, block: int = 64,
                          batch: int = 16) -> Callable[[], None]:
    rng = np.random.default_rng(seed)
    x = lib.from_numpy(rng.integers(0, vocab, (batch, block)))
    y = lib.from_numpy(rng.integers(0, vocab, batch * block))
    model = char_transformer(lib, vocab, block)
    return sgd_step(lib, model, lambda: lib.nn.functional.cross_entropy(
        model(x).view(-1, vocab), y), lr=0.1)


# --- the rows ------------------------------------------------------------------------------------
ROW_STEPS: dict[str, Callable[[Any], Callable[[], None]]] = {
    "cnn": mnist_step,
    "gru": lambda lib: word_lm_step(lib, "GRU"),
    "rnn_tanh": lambda lib: word_lm_step(lib, "RNN_TANH"),
    "lstm": lambda lib: word_lm_step(lib, "LSTM"),
    "transformer": char_transformer_step,
    "char_mlp": char_mlp_step,
}
"""Each model row of the table: ``ROW_STEPS[row](lib)`` is its training step in ``lib``."""
