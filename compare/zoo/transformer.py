"""A small transformer encoder block on a synthetic sequence task.

Multi-head self-attention (2 heads), residual + layer norm, a GELU MLP, residual + layer norm,
mean over tokens, a linear classifier. The task: does token 0 match any later token's sign
pattern on feature 0 more often than not (needs attention across positions).
"""

from __future__ import annotations

import functools
import math

import numpy as np

import eager.nn as nn
import shared_ops as ops

from .losses import class_loss
from .registry import case_factory, register_model


class SelfAttention(nn.Module):
    """Multi-head scaled dot-product self-attention over (batch, tokens, dim)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        _, t, d = x.shape  # the batch dim may be unknown (None) in a static graph: use -1
        qkv = ops.reshape(self.qkv(x), shape=(-1, t, 3, self.heads, self.head_dim))
        qkv = ops.transpose(qkv, axes=(2, 0, 3, 1, 4))  # (3, b, heads, t, head_dim)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = ops.div(ops.matmul(q, ops.transpose(k, axes=(0, 1, 3, 2))),
                         math.sqrt(self.head_dim))
        mixed = ops.matmul(ops.softmax(scores, axis=-1), v)  # (b, heads, t, head_dim)
        mixed = ops.reshape(ops.transpose(mixed, axes=(0, 2, 1, 3)), shape=(-1, t, d))
        return self.out(mixed)


class EncoderBlock(nn.Module):
    """Post-norm encoder block: x = LN(x + attn(x)); x = LN(x + mlp(x))."""

    def __init__(self, dim: int = 8, heads: int = 2, hidden: int = 16, classes: int = 2) -> None:
        super().__init__()
        self.attn = SelfAttention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.norm1(ops.add(x, self.attn(x)))
        x = self.norm2(ops.add(x, self.fc2(ops.gelu(self.fc1(x)))))
        return self.head(ops.mean(x, axis=1))


def _batches(dtype: np.dtype, *, batch: int, tokens: int, dim: int, n_batches: int) -> list:
    rng = np.random.default_rng(11)
    out = []
    for _ in range(n_batches):
        x = rng.standard_normal((batch, tokens, dim))
        agree = (np.sign(x[:, 1:, 0]) == np.sign(x[:, :1, 0])).mean(axis=1)
        out.append(((x.astype(dtype),), ((agree > 0.5).astype(np.int64),)))
    return out


transformer = case_factory(
    EncoderBlock, functools.partial(_batches, batch=8, tokens=6, dim=8, n_batches=6), class_loss,
    lr=0.1, doc="Batches of 8 sequences of 6 tokens with 8 features; one graph for any batch size.")
register_model("transformer", order=4,
               description="encoder block: 2-head self-attention + LN + MLP")(transformer)
