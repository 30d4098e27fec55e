"""examples/torch_program_unchanged.py is a PyTorch program with one line changed: with that
line changed back it runs under torch and prints the same numbers (the README shows it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from program_runner import compare_outputs, run_program, single_threaded

pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "torch_program_unchanged.py"
EAGER_LINE = "import eager as torch  # the PyTorch program says: import torch"


def test_the_example_differs_from_pytorch_in_one_line():
    source = EXAMPLE.read_text()
    imports = [node for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Import | ast.ImportFrom)]
    modules = [alias.name if isinstance(node, ast.Import) else node.module
               for node in imports for alias in node.names]
    # Every import but the one changed line is of the standard library.
    assert sorted(modules) == ["argparse", "eager"]
    assert source.count(EAGER_LINE) == 1


def test_the_example_prints_what_pytorch_prints(tmp_path):
    torch_version = tmp_path / EXAMPLE.name
    torch_version.write_text(EXAMPLE.read_text().replace(EAGER_LINE, "import torch"))
    with single_threaded():
        eager_output = run_program(EXAMPLE)
        torch_output = run_program(torch_version)
    assert "====> Test set loss" in torch_output
    problems = compare_outputs(torch_output, eager_output)
    assert not problems, "\n".join(problems)
