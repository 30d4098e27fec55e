"""F.interpolate(mode="bicubic") and nn.Upsample(mode="bicubic") against torch: values and
gradients for sizes and scale factors up and down, align_corners both ways, border
clamping, and the same resize traced into a static graph."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, torch

import eager
import static

RNG = np.random.default_rng(1663)
X = RNG.standard_normal((2, 3, 5, 7)).astype(np.float32)

RESIZES = [dict(size=(9, 4)), dict(size=(5, 7)), dict(size=(1, 1)), dict(size=(2, 15)),
           dict(scale_factor=2.0), dict(scale_factor=(1.7, 0.6)), dict(scale_factor=3)]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("resize", RESIZES, ids=lambda r: "-".join(f"{k}{v}" for k, v in
                                                                   r.items()))
def test_bicubic_values_and_gradient(resize, align_corners):
    def call(lib, x):
        return lib.nn.functional.interpolate(x, mode="bicubic", align_corners=align_corners,
                                             **resize)

    same(call, X.astype(np.float64), grad=True)
    # float32: the same taps and weights, sums rounded in another order (a few ulps).
    ours, theirs = call(eager, eager.tensor(X)), call(torch, torch.tensor(X))
    assert ours.dtype == eager.float32 and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=4e-6)


def test_border_taps_clamp_to_the_edge():
    # A single row: every vertical tap is row 0, so the result is the row's 1-d cubic resize.
    ramp = np.arange(6, dtype=np.float32).reshape(1, 1, 1, 6) ** 2
    same(lambda lib, x: lib.nn.functional.interpolate(x, size=(3, 11), mode="bicubic"), ramp,
         grad=True)


def test_upsample_module():
    layer, reference = (eager.nn.Upsample(scale_factor=2, mode="bicubic", align_corners=True),
                        torch.nn.Upsample(scale_factor=2, mode="bicubic", align_corners=True))
    assert repr(layer) == repr(reference)
    np.testing.assert_allclose(layer(eager.tensor(X)).numpy(),
                               reference(torch.tensor(X)).numpy(), rtol=1e-5, atol=2e-6)


def test_bicubic_traces_into_a_static_graph():
    def fn(x):
        return eager.nn.functional.interpolate(x, size=(8, 3), mode="bicubic")

    traced = static.trace(fn, static.TensorSpec(X.shape))
    expected = torch.nn.functional.interpolate(torch.tensor(X), size=(8, 3), mode="bicubic")
    np.testing.assert_allclose(np.asarray(traced(X)), expected.numpy(), rtol=1e-5, atol=2e-6)
