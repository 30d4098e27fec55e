"""The third batch's shared functions on static graph values: traced once, run, equal to
torch (the same expressions serve both modes), and differentiated in the graph."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import torch

import eager
import static

RNG = np.random.default_rng(4420)
X = RNG.uniform(-2.0, 3.0, (3, 4)).astype(np.float32)

CALLS = {
    "diag_embed": lambda L, x: L.diag_embed(x, 1, 0, 2),
    "diag_embed-method": lambda L, x: x.diag_embed(-1),
    "atleast_3d": lambda L, x: L.atleast_3d(x[0]) * 2,
    "float_power": lambda L, x: L.float_power(x, 3),
    "deg2rad": lambda L, x: x.deg2rad(),
    "rad2deg": lambda L, x: L.rad2deg(x),
    "renorm": lambda L, x: x.renorm(1, 0, 2.0),
    "vander": lambda L, x: L.vander(x[0], 3, True),
    "trapezoid": lambda L, x: L.trapezoid(x, dim=0),
    "trapezoid-x": lambda L, x: L.trapezoid(x, x[0].abs().cumsum(0)),
    "cumulative_trapezoid": lambda L, x: L.cumulative_trapezoid(x, dx=0.5),
    "gradient": lambda L, x: L.gradient(x, spacing=0.5, edge_order=2)[1],
    "gradient-coordinates": lambda L, x: L.gradient(x, spacing=[x[:, 0].abs().cumsum(0)],
                                                    dim=0)[0],
    "as_strided": lambda L, x: L.as_strided(x, (3, 3), (2, 1), 1),
    "nextafter": lambda L, x: x.nextafter(x[0]),
    "heaviside": lambda L, x: x.heaviside(x[:, :1]),
    "shift": lambda L, x: x.long() << 2,
    "gcd": lambda L, x: x.long().gcd(x[0].long() + 7),
    "unique_consecutive": lambda L, x: L.unique_consecutive(
        x.floor().sort(1).values.flatten(), return_counts=True)[1],
    "unique_consecutive-dim": lambda L, x: (x > 0).long().unique_consecutive(dim=1),
    "histogram-range": lambda L, x: L.histogram(x, 4, range=(-2.0, 3.0)).hist,
    "histogram-edges": lambda L, x: x.histogram(3, range=(-1.0, 1.0)).bin_edges * x[0, 0],
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_traced_function_agrees_with_torch(name):
    run = static.trace(lambda x: CALLS[name](eager, x), static.TensorSpec(X.shape))
    eager.testing.assert_close(eager.tensor(np.asarray(run(X))),
                               eager.tensor(CALLS[name](torch, torch.tensor(X)).numpy()),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["diag_embed", "renorm", "gradient", "trapezoid-x"])
def test_graph_gradient_agrees_with_torch(name):
    x64 = X.astype(np.float64)
    with static.Graph():
        x = static.placeholder(x64.shape, dtype=np.float64, name="x")
        loss = CALLS[name](eager, x).sum()
        (grad,) = static.gradients(loss, [x])
        ours = static.Session().run(grad, {x: x64})
    t = torch.tensor(x64, requires_grad=True)
    CALLS[name](torch, t).sum().backward()
    np.testing.assert_allclose(ours, t.grad.numpy(), rtol=1e-6, atol=1e-9)


def test_histogram_of_a_graph_value_needs_a_range():
    with static.Graph():
        x = static.placeholder(X.shape, name="x")
        with pytest.raises(NotImplementedError, match="pass range= or the bin edges"):
            eager.histogram(x, 4)


@pytest.mark.parametrize("call", [lambda x: x.untyped_storage(), lambda x: x.storage(),
                                  lambda x: x.bfloat16(), lambda x: x.is_nonzero()],
                         ids=["untyped_storage", "storage", "bfloat16", "is_nonzero"])
def test_value_and_storage_methods_of_a_graph_value_say_why_not(call):
    with static.Graph():
        x = static.placeholder((1,), name="x")
        with pytest.raises(TypeError, match="graph"):
            call(x)
