"""Convolutions with ``padding_mode`` 'reflect', 'replicate' and 'circular', and with
``padding="same"`` on even kernels, against torch: outputs, gradients and reprs."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

SHAPES = {"Conv1d": (2, 3, 9), "Conv2d": (2, 3, 7, 6), "Conv3d": (1, 3, 5, 6, 4)}


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "zeros"])
@pytest.mark.parametrize("layer, kernel, padding, dilation", [
    ("Conv2d", 3, 1, 1), ("Conv2d", (2, 3), "same", 1), ("Conv2d", 3, (2, 1), 1),
    ("Conv1d", 4, "same", 1), ("Conv1d", 3, "same", 2), ("Conv3d", 3, 1, 1),
    ("Conv2d", 3, "valid", 1)])
def test_padding_modes_are_torchs(mode, layer, kernel, padding, dilation):
    runs = []
    data = np.random.default_rng(0).standard_normal(SHAPES[layer]).astype(np.float32)
    for L in (eager, torch):
        L.manual_seed(0)
        conv = getattr(L.nn, layer)(3, 4, kernel, padding=padding, padding_mode=mode,
                                    dilation=dilation)
        x = L.tensor(data, requires_grad=True)
        y = conv(x)
        (y * y).sum().backward()
        runs.append((y.detach().numpy(), x.grad.numpy(), conv.weight.grad.numpy(), repr(conv)))
    assert runs[0][3] == runs[1][3]
    for ours, theirs in zip(runs[0][:3], runs[1][:3], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


def test_unknown_padding_modes_and_transposed_layers_are_refused_as_torch():
    with pytest.raises(ValueError, match="padding_mode must be one of .*but got "
                                         "padding_mode='edge'"):
        eager.nn.Conv2d(1, 1, 3, padding_mode="edge")
    with pytest.raises(ValueError, match='Only "zeros" padding mode is supported for '
                                         "ConvTranspose2d"):
        eager.nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")
