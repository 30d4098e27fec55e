"""``arange`` over a size known only when the graph runs: a forward written for PyTorch,
``pos = torch.arange(0, T)`` with ``T = idx.size(1)``, traced with an unknown length."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as nn
import static


class PositionEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(10, 4), nn.Embedding(16, 4)

    def forward(self, idx):
        B, T = idx.size()
        return self.wte(idx) + self.wpe(eager.arange(0, T, dtype=eager.int64))


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
        with pytest.raises(Exception, match="arange_dims.*step must be nonzero"):
            eager.arange(0, x.size(0), 0)
