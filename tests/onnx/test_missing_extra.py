"""Without the onnx extra, the export and the onnxruntime column say so in one line.

These tests hide onnxruntime (a ``None`` entry in ``sys.modules`` makes its import fail), so
they run whether or not the extra is installed.
"""

from __future__ import annotations

import html
import sys

from compare import onnx_column
from compare.cli import main
from compare.report import terminal


def _hide_onnxruntime(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)


def test_column_reason_names_the_extra(monkeypatch):
    _hide_onnxruntime(monkeypatch)
    reason = onnx_column.onnx_missing()
    assert "is missing" in reason and "pip install 'dualgraph[onnx]'" in reason
    col = onnx_column.measure("simplenet")
    assert col == {"available": False, "reason": reason}


def test_report_shows_the_reason_instead_of_figures(monkeypatch, capsys):
    _hide_onnxruntime(monkeypatch)
    col = onnx_column.measure("simplenet")
    headers, rows = onnx_column.table_rows([{"name": "simplenet", "onnx": col}])
    assert rows == [["simplenet", "n/a", col["reason"], "", "", "", ""]]
    assert html.escape(col["reason"]) in onnx_column.html_section([{"name": "m", "onnx": col}])
    terminal.print_summary([], notes={"onnxruntime": col["reason"]})
    assert "not available onnxruntime: the onnx extra is not installed" in \
        " ".join(capsys.readouterr().out.split())


def test_export_command_is_one_line_and_status_2(monkeypatch, capsys, tmp_path):
    _hide_onnxruntime(monkeypatch)
    status = main(["export", "simplenet", "--out", str(tmp_path / "m.onnx")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "dualgraph export: the onnx extra is not installed" in err
    assert not (tmp_path / "m.onnx").exists()
