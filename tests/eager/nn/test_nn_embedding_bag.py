"""EmbeddingBag and embedding_bag against torch: every mode with offsets, 2-D input,
include_last_offset, padding_idx, per_sample_weights, empty bags and max_norm; outputs and the
weight's gradient, printing, state dict keys and errors."""


import numpy as np
import pytest
from nn_parity import load_torch_weights, randn

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

CASES = [
    ({}, [1, 2, 4, 5, 4, 3, 2, 9], [0, 4, 4, 6], None),
    ({"padding_idx": 2}, [1, 2, 4, 5, 4, 3, 2, 9], [0, 4, 4, 6], None),
    ({"mode": "sum"}, [1, 2, 4, 5, 4, 3], [0, 2, 2], None),
    ({"mode": "max", "padding_idx": 4}, [1, 2, 4, 5, 4, 3, 4], [0, 2, 5, 6], None),
    ({"include_last_offset": True}, [1, 2, 4, 5, 4, 3], [0, 2, 3, 6], None),
    ({"mode": "mean"}, [[1, 2, 3], [4, 5, 6]], None, None),
    ({"mode": "max"}, [[1, 2, 3], [4, 5, 6]], None, None),
    ({"mode": "sum"}, [1, 2, 4, 5, 4, 3], [0, 2], np.arange(1, 7, dtype=np.float32)),
    ({"mode": "sum", "max_norm": 1.0}, [1, 2, 4, 1], [0, 2], None),
]


@pytest.mark.parametrize("kwargs,indices,offsets,weights", CASES, ids=lambda v: str(v))
def test_embedding_bag_matches_torch(kwargs, indices, offsets, weights):
    ours, theirs = nn.EmbeddingBag(10, 3, **kwargs), torch.nn.EmbeddingBag(10, 3, **kwargs)
    assert repr(ours) == repr(theirs)
    load_torch_weights(ours, theirs)

    def call(lib, module):
        extra = [] if weights is None else [lib.tensor(weights)]
        return module(lib.tensor(indices), None if offsets is None else lib.tensor(offsets),
                      *extra)

    out_ours, out_theirs = call(eager, ours), call(torch, theirs)
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    cotangent = randn(*out_theirs.shape, seed=1)
    (out_ours * eager.tensor(cotangent)).sum().backward()
    (out_theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-5,
                               atol=1e-6)
    # max_norm rescales the rows it looks up, in place, in both.
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(),
                               rtol=1e-6)


def test_padding_row_starts_at_zero():
    bag = nn.EmbeddingBag(5, 4, padding_idx=-1)
    assert bag.padding_idx == 4 and bag.weight[4].tolist() == [0.0] * 4
    assert list(bag.state_dict()) == list(torch.nn.EmbeddingBag(5, 4).state_dict())


@pytest.mark.parametrize("call,error,message", [
    (lambda lib, bag: bag(lib.tensor([1, 2])), ValueError, "offsets has to be a 1D Tensor"),
    (lambda lib, bag: bag(lib.tensor([[1, 2]]), lib.tensor([0])), ValueError,
     "if input is 2D, then offsets has to be None"),
    (lambda lib, bag: bag(lib.tensor([1, 2]), lib.tensor([1])), RuntimeError,
     "offsets\\[0\\] has to be 0"),
    (lambda lib, bag: lib.nn.EmbeddingBag(10, 3, mode="median")(lib.tensor([1]), lib.tensor([0])),
     ValueError,
     "mode has to be one of sum, mean or max"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib, lib.nn.EmbeddingBag(10, 3))
