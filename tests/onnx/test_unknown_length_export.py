"""A minGPT-style attention traced with an unknown batch *and* length exports to ONNX:
``arange(0, T)`` becomes ``Range`` and ``mask[:, :, :T, :T]`` a ``Slice`` whose bounds are
computed from ``Shape``, so onnxruntime runs one file at every length."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import eager  # noqa: E402
import eager.nn as nn  # noqa: E402
import eager.nn.functional as F  # noqa: E402
import static  # noqa: E402
from static.onnx import to_onnx  # noqa: E402
from static.onnx.verify import ort_session, run_ort  # noqa: E402


class CausalAttention(nn.Module):
    def __init__(self, vocab=12, n_embd=8, n_head=2, block=16):
        super().__init__()
        self.n_head = n_head
        self.wte, self.wpe = nn.Embedding(vocab, n_embd), nn.Embedding(block, n_embd)
        self.qkv, self.head = nn.Linear(n_embd, 3 * n_embd), nn.Linear(n_embd, vocab)
        self.register_buffer("mask", eager.tril(eager.ones(block, block)).view(1, 1, block,
                                                                                block))

    def forward(self, idx):
        B, T = idx.size()
        x = self.wte(idx) + self.wpe(eager.arange(0, T, dtype=eager.int64))
        C = x.size(-1)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
                   for t in self.qkv(x).split(C, dim=2))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.head(x + y)


def test_one_file_runs_at_every_length():
    eager.manual_seed(0)
    model = CausalAttention()
    traced = static.trace(model, static.TensorSpec((None, None), np.int64))
    exported = to_onnx(traced).model
    ops = {n.op_type for n in exported.graph.node}
    assert {"Range", "Slice"} <= ops
    session = ort_session(exported)
    for shape in [(2, 5), (3, 11), (1, 1)]:
        idx = np.random.default_rng(shape[1]).integers(0, 12, shape)
        (got,) = run_ort(session, [idx])
        want = model(eager.tensor(idx)).detach().numpy()
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("decimals", [0, 2, -1])
def test_rounding_exports_as_the_kernel_rounds(decimals):
    x = np.array([[-2.5, -1.25, 0.5, 1.5, 12.345, 97.0]], np.float32)
    traced = static.trace(lambda t: eager.round(t, decimals=decimals) + eager.trunc(t),
                          static.TensorSpec((None, 6), np.float32))
    (got,) = run_ort(ort_session(to_onnx(traced).model), [x])
    want = (eager.round(eager.tensor(x), decimals=decimals) + eager.trunc(eager.tensor(x)))
    np.testing.assert_array_equal(got, want.numpy())
