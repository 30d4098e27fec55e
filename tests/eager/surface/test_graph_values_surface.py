"""The new Tensor methods on static graph values: traced once, run, equal to torch (the same
table serves both modes), with gradients staged by static.gradients."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import torch

import static

RNG = np.random.default_rng(1605)
X = RNG.uniform(0.2, 3.0, (3, 4)).astype(np.float32)

CALLS = {
    "log2": lambda x: x.log2(),
    "log10": lambda x: x.log10(),
    "round": lambda x: (x * 10).round(decimals=-1),
    "frac": lambda x: x.frac(),
    "floor_": lambda x: (x * 1).floor_(),
    "addcmul_": lambda x: (x * 1).addcmul_(x, x, value=0.5),
    "diag": lambda x: x[0].diag(1),
    "diagonal": lambda x: x.diagonal(1),
    "movedim": lambda x: x.unsqueeze(0).movedim(0, -1),
    "unfold": lambda x: x.unfold(1, 2, 1),
    "outer": lambda x: x[0].outer(x[1]),
    "dot": lambda x: x[0].dot(x[1]),
    "addmm": lambda x: x[:, :3].addmm(x, x.t(), beta=0.5),
    "lerp": lambda x: x.lerp(x[0], 0.25),
    "isclose": lambda x: x.isclose(x + 1e-9),
    "logical_xor": lambda x: (x > 1).logical_xor(x),
    "clamp_min": lambda x: x.clamp_min(1.0),
    "index_add": lambda x: x.index_add(0, x.new_tensor([2, 0]).long(), x[:2]),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_graph_values_compute_what_torch_does(name):
    fn = CALLS[name]
    traced = static.trace(fn, static.TensorSpec((3, 4)))
    ours = np.asarray(traced(X))
    theirs = fn(torch.tensor(X)).numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["diag", "unfold", "addcmul_", "index_add"])
def test_graph_gradients_match_torch(name):
    fn = CALLS[name]
    with static.Graph():
        x = static.placeholder((3, 4), name="x")
        (grad,) = static.gradients((fn(x) * 1.5).sum(), [x])
        ours = static.Session().run(grad, {x: X})
    t = torch.tensor(X, requires_grad=True)
    (fn(t * 1) * 1.5).sum().backward()
    np.testing.assert_allclose(ours, t.grad.numpy(), rtol=1e-5, atol=1e-6)
