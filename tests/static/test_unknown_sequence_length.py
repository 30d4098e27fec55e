"""Forwards written for PyTorch traced with an unknown sequence length ``T = idx.size(1)``:
``torch.arange(0, T)`` (positions) and ``mask[:, :, :T, :T]`` (a causal mask buffer sliced
to the length) stage runtime-shape ops, so one graph serves every length."""

from __future__ import annotations

import math

import numpy as np
import pytest

import eager
import eager.nn as nn
import static
from shared_ops.errors import OpValueError


class PositionEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(10, 4), nn.Embedding(16, 4)

    def forward(self, idx):
        B, T = idx.size()
        return self.wte(idx) + self.wpe(eager.arange(0, T, dtype=eager.int64))


class CausalSelfAttention(nn.Module):
    """minGPT's attention: a registered causal mask sliced to the run's length."""

    def __init__(self, n_embd=8, n_head=2, block=16):
        super().__init__()
        self.n_head = n_head
        self.embed = PositionEmbedding()
        self.qkv, self.proj = nn.Linear(4, 3 * n_embd), nn.Linear(n_embd, 10)
        self.register_buffer("mask", eager.tril(eager.ones(block, block)).view(1, 1, block,
                                                                                block))

    def forward(self, idx, targets):
        x = self.embed(idx)
        B, T, _ = x.size()
        q, k, v = self.qkv(x).split(8, dim=2)
        q, k, v = (t.view(B, T, self.n_head, 4).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).contiguous().view(B, T, 8)
        logits = self.proj(y)
        return eager.nn.functional.cross_entropy(logits.view(-1, 10), targets.view(-1))


def test_a_sliced_causal_mask_trains_at_every_length():
    eager.manual_seed(0)
    model = CausalSelfAttention()
    spec = static.TensorSpec((None, None), np.int64)
    traced = static.trace(model, spec, spec)
    (weight,) = [v for v in traced.variables if v.name == "qkv.weight"]
    with traced.graph.as_default():
        grads = static.gradients(traced.output, [weight])
    session = static.Session(traced.graph)
    for shape in [(2, 5), (3, 11)]:
        rng = np.random.default_rng(shape[1])
        idx, targets = rng.integers(0, 10, shape), rng.integers(0, 10, shape)
        got_loss, (got_grad,) = session.run([traced.output, grads],
                                            {traced.inputs[0]: idx, traced.inputs[1]: targets})
        model.zero_grad()
        want = model(eager.tensor(idx), eager.tensor(targets))
        want.backward()
        np.testing.assert_allclose(got_loss, want.item(), rtol=1e-5)
        np.testing.assert_allclose(got_grad, model.qkv.weight.grad.numpy(), rtol=1e-4,
                                   atol=1e-6)


def test_positions_follow_the_length_of_each_run():
    eager.manual_seed(0)
    model = PositionEmbedding()
    traced = static.trace(model, static.TensorSpec((None, None), np.int64))
    session = static.Session(traced.graph)
    for shape in [(2, 5), (3, 9)]:
        idx = np.random.default_rng(1).integers(0, 10, shape)
        got = session.run(traced.outputs[0], {traced.inputs[0]: idx})
        want = model(eager.tensor(idx)).detach().numpy()
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_bounds_are_expressions_over_the_sizes():
    with static.Graph():
        x = static.placeholder((None, 3), name="x")
        n = x.size(0)
        steps = eager.arange(1, n * 2, 2)  # int64: 1, 3, ... below 2n
        as_floats = eager.arange(n, dtype=eager.float32)
        got_steps, got_floats = static.Session().run([steps, as_floats],
                                                     {x: np.zeros((4, 3), np.float32)})
        with pytest.raises(TypeError, match="start and step must be ints"):
            eager.arange(0.0, n, 0.5)
    np.testing.assert_array_equal(got_steps, np.arange(1, 8, 2))
    assert got_steps.dtype == np.int64 and got_floats.dtype == np.float32
    np.testing.assert_array_equal(got_floats, np.arange(4, dtype=np.float32))


def test_a_zero_step_is_refused_naming_the_op():
    with static.Graph():
        x = static.placeholder((None, 3), name="x")
        with pytest.raises(OpValueError, match="arange_dims.*step must be nonzero"):
            eager.arange(0, x.size(0), 0)
