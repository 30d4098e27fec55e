"""Helpers of the CLI tests: run ``dualgraph`` as users do, a subprocess, the installed console
script where there is one (its ``sys.path`` lacks the current folder, unlike ``python -m``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("dualgraph")
MODELS = '''
import numpy as np
import eager
import eager.nn as nn
import shared_ops as ops
from compare.zoo import ModelCase


class Net(nn.Module):
    def __init__(self, out=1):
        super().__init__()
        self.fc = nn.Linear(4, out)

    def forward(self, x):
        return ops.tanh(self.fc(x))


class Bad(Net):
    def forward(self, x):
        h = self.fc(x)
        return ops.matmul(h, h)  # BAD LINE: (6, 3) @ (6, 3)


def _batches(dtype, out, to_tensor):
    rng = np.random.default_rng(0)
    wrap = eager.tensor if to_tensor else (lambda a: a)
    return [((wrap(rng.standard_normal((6, 4)).astype(dtype)),),
             (wrap(rng.standard_normal((6, out)).astype(dtype)),)) for _ in range(2)]


def tiny(dtype):
    """eager-tensor batches, as eager code writes them"""
    return ModelCase(model=Net().to(dtype), batches=_batches(dtype, 1, True), loss=ops.mse,
                     lr=0.1)


def bad(dtype):
    return ModelCase(model=Bad(3).to(dtype), batches=_batches(dtype, 3, False), loss=ops.mse,
                     lr=0.1)
'''


def dualgraph(*args: str, cwd: Path | None = None, timeout: float = 120
              ) -> subprocess.CompletedProcess:
    """``dualgraph ARGS`` in a fresh process (the console script, else ``python -m compare``)."""
    argv = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "compare"]
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([*argv, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The run failed as a usage error: status 2, one line on stderr, no traceback."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def has_graphviz() -> bool:
    return shutil.which("dot") is not None
