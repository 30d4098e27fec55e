"""The new layers and options that are compositions of shared ops trace into a static graph
(unknown batch size) and the graph computes what eager computes."""

import numpy as np
import pytest

import eager
import eager.nn as nn

static = pytest.importorskip("static")


def _x(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


CASES = [
    (lambda: nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), (2, 3, 6, 7)),
    (lambda: nn.AvgPool2d(2, ceil_mode=True, divisor_override=3), (2, 3, 5, 5)),
    (lambda: nn.AvgPool3d(2, ceil_mode=True), (2, 2, 3, 5, 5)),
    (lambda: nn.AvgPool1d(3, 2, 1, ceil_mode=True), (2, 3, 8)),
    (lambda: nn.ChannelShuffle(2), (2, 4, 3, 3)),
    (lambda: nn.LPPool2d(2, 2), (2, 3, 4, 4)),
    (lambda: nn.InstanceNorm3d(2, affine=True), (2, 2, 3, 3, 3)),
    (lambda: nn.ReflectionPad3d((1, 0, 1, 2, 0, 1)), (2, 2, 3, 3, 3)),
    (lambda: nn.AdaptiveMaxPool2d((2, 3), return_indices=True), (2, 3, 5, 7)),
    (lambda: nn.MaxPool3d(2, return_indices=True), (2, 2, 4, 4, 4)),
    (lambda: nn.RReLU().eval(), (2, 5)),
    (lambda: nn.AlphaDropout().eval(), (2, 5)),
]


@pytest.mark.parametrize("make,shape", CASES)
def test_layer_traces_and_agrees_with_eager(make, shape):
    module, x = make(), _x(*shape)
    traced = static.trace(module, ((None,) + shape[1:], x.dtype))
    ours = traced(x)
    with eager.no_grad():
        theirs = module(eager.from_numpy(x))
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(np.asarray(a), b.numpy(), rtol=1e-5, atol=1e-6)


def test_alpha_dropout_traced_in_training_keeps_selu_statistics():
    traced = static.trace(nn.AlphaDropout(0.2), ((None, 4000), np.float32))
    x = np.random.default_rng(1).standard_normal((50, 4000)).astype(np.float32)
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    selu = scale * np.where(x > 0, x, alpha * np.expm1(x))
    y = np.asarray(traced(selu))
    assert not np.array_equal(y, selu)
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1.0) < 0.02


def test_onnx_export_refuses_ceil_mode_average_pooling():
    pytest.importorskip("onnx")
    from static.onnx import export_onnx
    spec = [((1, 1, 6, 6), np.float32)]
    assert export_onnx(nn.AvgPool2d(3, 2, 1), None, spec) is not None
    for layer in (nn.AvgPool2d(3, 2, 1, ceil_mode=True), nn.AvgPool2d(2, divisor_override=3)):
        with pytest.raises(Exception, match="ceil_mode or divisor_override has no ONNX mapping"):
            export_onnx(layer, None, spec)


class _PoolUnpool(nn.Module):
    """SegNet's pattern: pool with indices, transform, unpool to the input's size."""

    def __init__(self, nd):
        super().__init__()
        self.pool = getattr(nn, f"MaxPool{nd}d")(2, return_indices=True)
        self.unpool = getattr(nn, f"MaxUnpool{nd}d")(2)
        self.nd = nd

    def forward(self, x):
        y, idx = self.pool(x)
        return self.unpool(y * 2.0, idx, output_size=x.shape[-self.nd:])


@pytest.mark.parametrize("nd,shape", [(1, (3, 2, 7)), (2, (3, 2, 6, 5)), (3, (2, 2, 4, 5, 4))])
def test_max_unpool_traces_with_an_unknown_batch(nd, shape):
    module, x = _PoolUnpool(nd), _x(*shape)
    traced = static.trace(module, ((None,) + shape[1:], x.dtype))
    with eager.no_grad():
        expected = module(eager.from_numpy(x)).numpy()
    np.testing.assert_allclose(np.asarray(traced(x)), expected)
    np.testing.assert_allclose(np.asarray(traced(x[:1])), expected[:1])
