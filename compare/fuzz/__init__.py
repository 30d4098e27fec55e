"""Differential fuzzer: random well-typed programs over the op library, run five ways.

A program (`program.Program`) is a few float64 inputs of random broadcast-compatible shapes
and a short list of SSA statements (elementwise math, scalars, broadcasting binaries, where,
reductions, softmax, shape ops, indexing, joins, matmul; `catalog`, `catalog_struct`), drawn
by a hypothesis strategy (`generate.programs`) that asks the ops' own shape rules whether each
statement is well-typed and keeps values in safe domains with interval bounds (`intervals`).
Each program runs (`executors`):

1. eagerly (the reference), 2. through the static interpreter, 3. through the compiler with
all passes, 4. through the compiler with each pass alone, 5. in PyTorch (float64) when torch
is installed;

and the output, the loss ``sum(output * weight)`` and the gradient of every input must agree
(`check`). A failing program is shrunk by hypothesis and printed as a short runnable script
(`script.to_script`).

Tolerances (elementwise, scaled by the array's largest magnitude ``s``,
``|got - eager| <= atol + rtol * s``; NaN must match NaN, inf the same inf):

* our executors vs eager: rtol 1e-9, atol 1e-12 (same kernels and rules in float64; passes
  may only reorder or fuse arithmetic);
* PyTorch vs eager: rtol 1e-7, atol 1e-10 (different algorithms, still float64);
* shapes must be identical, and our executors must return float64.

Run long from the command line (the test suite runs a small seeded budget, tests/fuzz/):

    python -m compare.fuzz --examples 2000 --seed 7
"""

from .check import OURS_TOL, TORCH_TOL, Mismatch, check_function
from .generate import programs
from .program import Program, Stmt
from .script import check_program, report, to_script

__all__ = ["OURS_TOL", "TORCH_TOL", "Mismatch", "Program", "Stmt", "check_function",
           "check_program", "programs", "report", "to_script"]
