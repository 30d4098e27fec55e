"""The onnxruntime column of the compare report: figures, schema, terminal and HTML."""

from __future__ import annotations

import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from rich.console import Console  # noqa: E402

from compare import onnx_column  # noqa: E402
from compare.report import json_report  # noqa: E402


@pytest.fixture(scope="module")
def column():
    return onnx_column.measure("simplenet", repeats=2)


def test_column_measures_agreement_with_both_modes_and_three_timings(column):
    assert column["available"] and column["dtype"] == "float32" and column["opset"] == 18
    a = column["agreement"]
    assert a["agrees"] and a["tolerance"] == 1e-5
    assert 0 <= a["vs_static"] <= 1e-5 and 0 <= a["vs_eager"] <= 1e-5
    assert set(a["random_vs_static"]) == {"2", "5"}
    assert set(column["inference_ms"]) == {"onnxruntime", "static", "eager"}
    assert all(t > 0 for t in column["inference_ms"].values())


def test_column_fits_the_report_schema(column):
    model = {"name": "simplenet", "description": "", "dtype": "float64", "steps": 1,
             "seed": 0, "not_available": {}, "onnx": column}
    doc = json_report.build_report([model], settings={"steps": 1, "dtype": "float64",
                                                      "seed": 0, "repeats": 0})
    assert json_report.validate(doc) == []
    broken = dict(model, onnx={"reason": "no 'available' key"})
    assert any("available" in p for p in json_report.validate(dict(doc, models=[broken])))


def test_terminal_and_html_show_the_figures(column):
    models = [{"name": "simplenet", "onnx": column}, {"name": "no_column"}]
    console = Console(width=150, record=True)
    console.print(onnx_column.terminal_table(models))
    text = console.export_text()
    assert "simplenet" in text and "no_column" not in text
    assert f"{column['agreement']['vs_eager']:.1e}" in text
    page = onnx_column.html_section(models)
    assert page.startswith('<h2 id="onnxruntime">') and "<td>simplenet</td>" in page
    assert onnx_column.terminal_table([{"name": "x"}]) is None


def test_a_model_that_cannot_export_gives_a_reason_not_an_exception():
    col = onnx_column.measure("no_such_model")
    assert col["available"] is False and col["reason"].startswith("KeyError")
