"""examples/seed_snippets.py prints what the PyTorch originals print."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "examples", "seed_snippets.py")

EXPECTED = """\
SimpleNet(
  (fc1): Linear(in_features=10, out_features=5, bias=True)
  (fc2): Linear(in_features=5, out_features=1, bias=True)
)
tensor([1, 2, 3, 4, 5])
tensor([4.])
"""

EAGER_IMPORTS = "import eager as torch\nimport eager.nn as nn\nimport eager.optim as optim\n"
TORCH_IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.optim as optim\n"


def _run(source: str) -> str:
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_script_uses_only_the_three_eager_imports():
    with open(SCRIPT) as f:
        source = f.read()
    code = source.split('"""', 2)[2]  # after the module docstring
    assert [line for line in code.splitlines() if "eager" in line] == EAGER_IMPORTS.splitlines()


def test_seed_snippets_print_pytorchs_output():
    with open(SCRIPT) as f:
        assert _run(f.read()) == EXPECTED


def test_same_snippets_under_torch_print_the_same():
    pytest.importorskip("torch")
    with open(SCRIPT) as f:
        source = f.read().replace(EAGER_IMPORTS, TORCH_IMPORTS)
    assert _run(source) == EXPECTED
