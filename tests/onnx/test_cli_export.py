"""``dualgraph export``: writes the file, ``--check`` prints the agreement, errors are one
line with exit status 2 (an unmapped op names the user's line)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from compare.cli import main  # noqa: E402
from compare.zoo import ZOO  # noqa: E402


@pytest.fixture
def zoo_snapshot():
    """Models an --import registers during a test are removed after it."""
    before = set(ZOO)
    yield
    for name in set(ZOO) - before:
        del ZOO[name]


def test_export_and_check_as_a_user_runs_it(tmp_path):
    out = tmp_path / "net.onnx"
    run = subprocess.run([sys.executable, "-m", "compare", "export", "simplenet", "--out",
                          str(out), "--check"], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"wrote {out}: ") and "opset 18" in lines[0]
    assert "  input x: batch x 10" in lines and "  output add_1: batch x 1" in lines
    check = lines[-1]
    assert check.startswith("onnxruntime vs static: max abs difference ")
    assert "at batch 2" in check and "at batch 5" in check and check.endswith("agrees")
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)


def test_default_out_is_model_name_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "simplenet", "--opset", "19"]) == 0
    assert onnx.load(str(tmp_path / "simplenet.onnx")).opset_import[0].version == 19
    assert "--check" not in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["export", "nope"], "unknown model 'nope'"),
    (["export", "simplenet", "--opset", "5"], "opset must be an int from 18"),
    (["export", "simplenet", "--opset", "x"], "expected a positive integer"),
])
def test_errors_are_one_line_with_status_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_out_that_is_a_folder_or_under_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    for out, words in ((tmp_path, "is a folder"), (tmp_path / "file" / "m.onnx", "is a file")):
        assert main(["export", "simplenet", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err


def test_imported_model_with_an_unmapped_op_names_its_line(tmp_path, monkeypatch, capsys,
                                                           zoo_snapshot):
    (tmp_path / "p7_user_models.py").write_text(textwrap.dedent("""\
        import numpy as np
        import eager.nn as nn
        import shared_ops as ops
        from compare.zoo import ModelCase

        class Running(nn.Module):
            def forward(self, x):
                return ops.cumprod(x, dim=1)

        def running_product(dtype):
            x = np.ones((4, 3), dtype)
            return ModelCase(model=Running(), batches=[((x,), (x,))], loss=ops.mse)
        """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    status = main(["--import", "p7_user_models:running_product", "export", "running_product"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "no ONNX mapping for op 'cumprod'" in err and "p7_user_models.py:8" in err


def test_a_model_that_fails_to_trace_is_one_line(tmp_path, monkeypatch, capsys, zoo_snapshot):
    (tmp_path / "p7_broken_models.py").write_text(textwrap.dedent("""\
        import numpy as np
        import eager.nn as nn
        import shared_ops as ops
        from compare.zoo import ModelCase

        class Broken(nn.Module):
            def forward(self, x):
                return ops.matmul(x, np.ones((5, 2), np.float32))

        def broken(dtype):
            x = np.ones((4, 3), dtype)
            return ModelCase(model=Broken(), batches=[((x,), (x,))], loss=ops.mse)
        """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["--import", "p7_broken_models:broken", "export", "broken"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "matmul" in err and "p7_broken_models.py:8" in err
