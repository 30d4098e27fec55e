"""Transformer layers in training mode draw their dropout masks as torch does: a seeded
forward pass gives torch's output, batch-first (whose attention output torch keeps as a
transposed view, its dropout mask drawn in memory order) and sequence-first alike."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((4, 6, 8)).astype(np.float32)
MEMORY = np.random.default_rng(1).standard_normal((4, 7, 8)).astype(np.float32)


def forward(lib, kind, batch_first, norm_first):
    lib.manual_seed(0)
    options = dict(dim_feedforward=16, dropout=0.2, batch_first=batch_first,
                   norm_first=norm_first)
    x, memory = (X, MEMORY) if batch_first else (X.transpose(1, 0, 2), MEMORY.transpose(1, 0, 2))
    x, memory = lib.tensor(np.ascontiguousarray(x)), lib.tensor(np.ascontiguousarray(memory))
    if kind == "encoder":
        layer = lib.nn.TransformerEncoderLayer(8, 2, **options)
        model = lib.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        lib.manual_seed(1)
        out = model(x)
    else:
        model = lib.nn.TransformerDecoderLayer(8, 2, **options)
        lib.manual_seed(1)
        out = model(x, memory)
    return out.detach().numpy(), lib.rand(1).item()


@pytest.mark.parametrize("kind", ["encoder", "decoder"])
@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize("norm_first", [True, False])
def test_seeded_training_forward_matches_torch(kind, batch_first, norm_first):
    ours, our_next = forward(eager, kind, batch_first, norm_first)
    theirs, their_next = forward(torch, kind, batch_first, norm_first)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert our_next == their_next  # the same number of random draws
