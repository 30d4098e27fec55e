"""export_onnx's targets, options and errors: graphs, traced functions, static.function,
Modules; unmapped ops named with the user's line; dynamic dim names; the written file."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import eager  # noqa: E402
import eager.nn as nn  # noqa: E402
import static  # noqa: E402
from static import TensorSpec  # noqa: E402
from static.onnx import OnnxExportError, mapping_table, to_onnx, unmapped  # noqa: E402
from static.onnx.verify import ort_session, run_ort  # noqa: E402


def _line_of(fn, text: str) -> int:
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if text in line)


def test_export_onnx_writes_a_file_onnx_loads(tmp_path):
    def f(x):
        return static.tanh(x) * 3.0

    path = tmp_path / "f.onnx"
    model = static.export_onnx(f, path, [TensorSpec((None, 4))])
    loaded = onnx.load(str(path))
    assert loaded.SerializeToString() == model.SerializeToString()
    x = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
    (got,) = run_ort(ort_session(loaded), [x])
    np.testing.assert_allclose(got, np.tanh(x) * 3.0, rtol=1e-6)


def test_unmapped_op_names_the_op_and_the_users_line():
    def f(x):
        return static.cumprod(x, dim=1)  # no ONNX op computes a running product

    with pytest.raises(OnnxExportError) as info:
        to_onnx(f, [TensorSpec((None, 3))])
    message = str(info.value)
    assert info.value.op == "cumprod"
    assert "no ONNX mapping for op 'cumprod'" in message
    assert f"test_export_api.py:{_line_of(f, 'cumprod(x')}" in message
    assert isinstance(info.value, NotImplementedError)


def test_modules_export_in_eval_mode_and_keep_their_mode():
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5), nn.BatchNorm1d(3))
    model[2].running_mean[:] = 0.5  # so that eval (running statistics) differs from training
    model[0].eval()  # a part already in eval mode stays so
    exported = to_onnx(model, [TensorSpec((None, 3))])
    assert [m.training for m in model] == [False, True, True]  # restored, part by part
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    model.eval()
    with eager.no_grad():
        want = np.asarray(model(eager.tensor(x)))
    (got,) = run_ort(ort_session(exported.model), [x])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_training_ops_in_a_function_are_refused_with_a_hint():
    def f(x):
        return nn.functional.dropout(x, 0.5, training=True)

    with pytest.raises(OnnxExportError, match=r"export the inference graph \(call model\.eval"):
        to_onnx(f, [TensorSpec((None, 3))])  # the random state's update is met first


def test_graph_target_exports_its_unused_values_or_the_outputs_given():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        y = static.placeholder((None, 2), name="y")
        w = static.variable(np.ones((2, 2), np.float32), name="w")
        h = static.matmul(x, w)
        loss = static.mean((h - y) ** 2)
    assert [o.name for o in to_onnx(g).model.graph.output] == [loss.name]
    exported = to_onnx(g, outputs=[h])
    assert [i.name for i in exported.model.graph.input] == ["x"]  # y is not needed for h
    assert [t.name for t in exported.model.graph.initializer] == ["w"]


def test_static_function_uses_its_input_signature():
    @static.function(input_signature=[TensorSpec((None, 2))])
    def f(x):
        return x + 1.0

    exported = to_onnx(f)
    (got,) = run_ort(ort_session(exported.model), [np.zeros((3, 2), np.float32)])
    np.testing.assert_array_equal(got, np.ones((3, 2), np.float32))


def test_traced_target_and_an_output_that_is_an_input():
    t = static.trace(lambda a, b: (a, a * b), TensorSpec((2,)), TensorSpec((2,)))
    exported = to_onnx(t)
    names = [o.name for o in exported.model.graph.output]
    assert len(set(names)) == 2 and "a" not in names  # an Identity gives the input a new name
    a, b = np.array([1, 2], np.float32), np.array([3, 4], np.float32)
    got = run_ort(ort_session(exported.model), [a, b])
    np.testing.assert_array_equal(got[0], a)
    np.testing.assert_array_equal(got[1], a * b)


def test_dim_names_override_the_defaults():
    exported = to_onnx(lambda x: x.sum(1), [TensorSpec((None, None))],
                       dim_names={"x": {1: "time"}})
    dims = exported.model.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param for d in dims] == ["batch", "time"]


def test_bad_opset_and_missing_specs_are_clear_errors():
    for opset in (11, 27):
        with pytest.raises(ValueError, match="opset must be an int from 18 to 26"):
            to_onnx(lambda x: x, [TensorSpec((2,))], opset=opset)
    with pytest.raises(TypeError, match="input_specs"):
        to_onnx(lambda x: x)


def test_opset_is_recorded_and_a_newer_one_runs():
    exported = to_onnx(lambda x: static.softmax(x, -1), [TensorSpec((None, 4))], opset=20)
    assert exported.model.opset_import[0].version == 20
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    (got,) = run_ort(ort_session(exported.model), [x])
    e = np.exp(x - x.max(1, keepdims=True))
    np.testing.assert_allclose(got, e / e.sum(1, keepdims=True), rtol=1e-6)


def test_mapping_table_lists_static_ops_and_unmapped_finds_the_rest():
    table = {op: onnx for op, onnx, _ in mapping_table()}
    assert table["matmul"] == "MatMul" and table["scan"].startswith("Scan")
    assert unmapped(["matmul", "cumprod", "scan", "dropout_mask"]) == ["cumprod",
                                                                      "dropout_mask"]


def test_eager_module_export_matches_eager_forward():
    eager.manual_seed(3)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)).eval()
    exported = to_onnx(model, [TensorSpec((None, 4))])
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    (got,) = run_ort(ort_session(exported.model), [x])
    with eager.no_grad():
        want = np.asarray(model(eager.tensor(x)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_in_place_writes_export_as_scatters():
    def f(x, idx):
        y = x * 1.0
        y[:, 0] = -1.0  # index_set through a basic key
        y[1:, ::2] += 10.0  # index_add
        return y[idx]  # a gather after the writes

    exported = to_onnx(f, [TensorSpec((None, 4)), TensorSpec((2,), np.int64)])
    assert "ScatterElements" in {n.op_type for n in exported.model.graph.node}
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([2, 0])
    (got,) = run_ort(ort_session(exported.model), [x, idx])
    want = x.copy()
    want[:, 0] = -1.0
    want[1:, ::2] += 10.0
    np.testing.assert_array_equal(got, want[idx])


@pytest.mark.parametrize("kernel, stride, padding", [(4, 2, 1), (3, 2, 0), (3, 3, 1)])
def test_transposed_convolution_exports_as_conv_transpose(kernel, stride, padding):
    eager.manual_seed(1)
    model = nn.Sequential(nn.ConvTranspose2d(4, 3, kernel, stride, padding), nn.Tanh()).eval()
    exported = to_onnx(model, [TensorSpec((None, 4, 5, 5))])
    assert "ConvTranspose" in {n.op_type for n in exported.model.graph.node}
    session = ort_session(exported.model)
    rng = np.random.default_rng(0)
    for batch in (1, 3):  # against eager: a dynamic batch, whatever the static run does
        x = rng.standard_normal((batch, 4, 5, 5)).astype(np.float32)
        with eager.no_grad():
            want = np.asarray(model(eager.tensor(x)))
        (got,) = run_ort(session, [x])
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
