"""Checking a `Program` and printing a failing one as a short runnable script.

Hypothesis shrinks a failing program (fewer statements, simpler attrs, seed 0...); the script
keeps only the statements the output depends on, spells the input values out exactly, and
ends by re-running the disagreeing executors, so pasting it reproduces the finding:

    python case.py     # prints the mismatches, or "agree" once fixed
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import static

from . import check
from .program import Program


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def output_shape(program: Program) -> tuple[int, ...]:
    """The output's shape, by the shape rules (staged on placeholders of the input shapes)."""
    with static.Graph():
        phs = [static.placeholder(s, dtype=np.float64) for s in program.shapes]
        return tuple(program.function()(*phs).shape)


def check_program(program: Program, executors: Sequence[str] | None = None,
                  use_torch: bool | None = None) -> list[check.Mismatch]:
    """Every disagreement of ``program`` between eager and the other executors."""
    use_torch = torch_available() if use_torch is None else use_torch
    if executors is not None:
        use_torch = use_torch and "torch" in executors
    weight = program.weight(output_shape(program))
    torch_fn = program.function("torch") if use_torch else None
    return check.check_function(program.function(), program.inputs(), weight, torch_fn,
                                executors)


def _array(a: np.ndarray) -> str:
    return f"np.array({a.tolist()!r})"


def to_script(program: Program, mismatches: Sequence[check.Mismatch] = ()) -> str:
    """A standalone script reproducing ``mismatches`` of ``program``."""
    names = sorted({m.executor for m in mismatches} - {"eager", "arrays"}) or None
    weight = program.weight(output_shape(program))
    program, inputs = program.trimmed()
    lines = ['"""Fuzz case: ' + ("; ".join(str(m) for m in mismatches)[:300] or "no mismatch")
             + '"""', "import numpy as np", "", "import shared_ops as ops",
             "from compare.fuzz.check import check_function", ""]
    lines.append("inputs = [" + ", ".join(_array(x) for x in inputs) + "]")
    lines.append(f"weight = {_array(weight)}  # loss = sum(program(*inputs) * weight)")
    lines += ["", "", program.source("ours"), ""]
    torch_arg = "None"
    if names and "torch" in names:
        lines += ["", "import torch  # noqa: E402", "from compare.fuzz import torch_ops as T  "
                  "# noqa: E402", "", "", program.source("torch"), ""]
        torch_arg = "torch_program"
    lines += ["", f"found = check_function(program, inputs, weight, {torch_arg}, "
              f"executors={names!r})",
              'print("\\n".join(map(str, found)) or "agree")']
    return "\n".join(lines) + "\n"


def report(program: Program, mismatches: Sequence[check.Mismatch]) -> str:
    """What a failing test or the command line prints: the mismatches and the script."""
    head = "\n".join(f"  {m}" for m in mismatches)
    return f"{len(mismatches)} mismatch(es):\n{head}\n\n--- reproducer ---\n" + \
        to_script(program, mismatches)
