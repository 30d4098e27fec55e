"""Tracing eager-style code that uses control flow: Modules whose parameters are used inside
branches and loop bodies, and `static.function`'s cache."""

import numpy as np

import eager
import eager.nn as nn
import shared_ops as ops
import static


class GatedRNN(nn.Module):
    """A Linear inside a scan step, and a branch on the sign of the final state's sum."""

    def __init__(self):
        super().__init__()
        eager.manual_seed(0)
        self.cell = nn.Linear(3, 3)
        self.gain = nn.Parameter(eager.tensor(np.float32(2.0)))

    def forward(self, xs):
        def step(h, x):
            h = ops.tanh(self.cell(h) + x)
            return h, h

        h, _ = ops.scan(step, ops.zeros_like(xs[0]), xs)
        return ops.cond(ops.sum(h) > 0, lambda: h * self.gain, lambda: h - self.gain)


def test_traced_module_matches_eager_values_and_parameter_gradients():
    model = GatedRNN()
    xs = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    t = static.trace(model, static.TensorSpec((None, 3)))
    loss = ops.sum(t.outputs[0] * t.outputs[0])
    grads = static.gradients(loss, list(t.variables))
    got = static.Session(t.graph).run([t.outputs[0], *grads], {t.inputs[0]: xs})

    out = model(eager.tensor(xs))
    (out * out).sum().backward()
    np.testing.assert_allclose(got[0], out.numpy(), rtol=1e-5, atol=1e-6)
    by_name = dict(model.named_parameters())
    for var, g in zip(t.variables, got[1:], strict=True):
        np.testing.assert_allclose(g, by_name[var.name].grad.numpy(), rtol=1e-4, atol=1e-6)


def test_function_cache_traces_once_per_signature():
    @static.function
    def clipped_total(x):
        total, _ = ops.scan(lambda c, v: (ops.minimum(c + v, 10.0), None), np.float32(0), x)
        return total

    assert float(clipped_total(np.arange(3, dtype=np.float32))) == 3.0
    assert float(clipped_total(np.arange(6, dtype=np.float32))) == 10.0
    assert float(clipped_total(np.arange(4, dtype=np.float32))) == 6.0
