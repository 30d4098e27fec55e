"""cond, while_loop and scan export as ONNX If, Loop and Scan and run in onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import eager  # noqa: E402
import eager.nn as nn  # noqa: E402
import static  # noqa: E402
from compare.zoo.gru_seq import GRULayerClassifier  # noqa: E402
from static import TensorSpec  # noqa: E402
from static.onnx import check_agreement, to_onnx  # noqa: E402
from static.onnx.verify import ort_session, run_ort  # noqa: E402


def _run_both(exported, *arrays):
    want = static.Session(exported.graph).run(
        list(exported.outputs), dict(zip(exported.inputs, arrays, strict=True)))
    got = run_ort(ort_session(exported.model), list(arrays))
    return got, want


def _ops(model) -> list[str]:
    return [n.op_type for n in model.graph.node]


def test_cond_takes_each_branch_as_static_does():
    def f(x):
        return static.cond(x.sum() > 0, lambda v: v * 2, lambda v: -v, x)

    exported = to_onnx(f, [TensorSpec((None, 3))])
    assert "If" in _ops(exported.model)
    ones = np.ones((2, 3), np.float32)
    for x, expected in ((ones, 2 * ones), (-ones, ones)):  # true branch, then false
        (got,), (want,) = _run_both(exported, x)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(got, expected)


def test_cond_branches_read_captured_outer_values():
    w = np.arange(3, dtype=np.float32)

    def f(x):
        c = static.constant(w)
        return static.cond(x.sum() > 0, lambda v: v * c, lambda v: v - c, x)

    exported = to_onnx(f, [TensorSpec((None, 3))])
    for sign in (1, -1):
        (got,), (want,) = _run_both(exported, sign * np.ones((2, 3), np.float32))
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("limit", [None, 3])
def test_while_loop_is_a_loop_with_its_first_test_outside(limit):
    def f(x):
        return static.while_loop(lambda i, v: v.sum() < 50.0, lambda i, v: (i + 1, v * 2 + 0.5),
                                 (static.constant(np.int64(0)), x), maximum_iterations=limit)

    exported = to_onnx(f, [TensorSpec((None, 2))])
    assert "Loop" in _ops(exported.model)
    # 60 > 50 already: zero iterations; 0.1s: several (or the limit)
    for x in (np.full((3, 2), 10.0, np.float32), np.full((2, 2), 0.1, np.float32)):
        got, want = _run_both(exported, x)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6)
    steps = _run_both(exported, np.full((2, 2), 0.1, np.float32))[0][0]
    assert steps == (3 if limit else 5)  # sums 0.4, 2.8, 7.6, 17.2, 36.4, then 74.8 >= 50


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_over_a_sequence_is_a_scan(reverse):
    def f(x):
        return static.scan(lambda c, xt: (c + xt, c * xt), x[0] * 0, x, reverse=reverse)

    exported = to_onnx(f, [TensorSpec((None, 3))])
    assert "Scan" in _ops(exported.model)
    rng = np.random.default_rng(0)
    for n in (1, 4):
        got, want = _run_both(exported, rng.standard_normal((n, 3)).astype(np.float32))
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_over_a_length_is_a_loop_with_rows_in_step_order(reverse):
    def f(x):
        return static.scan(lambda c, _: (c * 1.5, c + 1.0), x, None, length=4, reverse=reverse)

    exported = to_onnx(f, [TensorSpec((None, 2))])
    assert "Loop" in _ops(exported.model)
    got, want = _run_both(exported, np.arange(6, dtype=np.float32).reshape(3, 2))
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_gru_layer_scan_agrees_for_any_batch_and_length():
    eager.manual_seed(0)
    model = GRULayerClassifier().eval()
    exported = to_onnx(model, [TensorSpec((None, None, 3))])
    assert "Scan" in _ops(exported.model)
    (x,) = exported.model.graph.input
    assert [d.dim_param for d in x.type.tensor_type.shape.dim[:2]] == ["batch", "x_dim1"]
    for other in (2, 7):  # the sequence length
        result = check_agreement(exported, batch_sizes=(1, 4), seed=other, other_dim=other)
        assert result.worst <= 1e-5, result.max_abs_diff


@pytest.mark.parametrize("layer, kwargs", [
    (nn.GRU, {}), (nn.LSTM, {}), (nn.RNN, {"nonlinearity": "relu"}),
    (nn.LSTM, {"bidirectional": True, "num_layers": 2}),
], ids=["gru", "lstm", "rnn-relu", "lstm-bidirectional-2"])
def test_recurrent_layers_over_a_known_length_agree(layer, kwargs):
    eager.manual_seed(0)
    model = layer(3, 4, batch_first=True, **kwargs).eval()
    exported = to_onnx(lambda x: model(x), [TensorSpec((None, 5, 3))])
    result = check_agreement(exported, batch_sizes=(1, 3), seed=0)
    assert len(exported.outputs) == (3 if layer is nn.LSTM else 2)  # output, h_n (, c_n)
    assert result.worst <= 1e-5, result.max_abs_diff
