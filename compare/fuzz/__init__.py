"""Differential fuzzer: random well-typed programs over the op library, run five ways.

A program (`program.Program`) is a few float64 inputs of random broadcast-compatible shapes
(zero-size dims optionally) and a short list of SSA statements (elementwise math, Python
scalars, broadcasting binaries, where, reductions, softmax, shape ops, indexing, joins, matmul;
control flow: cond, while_loop, scan; the composites the fusion pass rewrites: matmul + bias +
relu, cross-entropy, BCE with logits, gelu; `catalog`, `catalog_struct`, `catalog_control`,
`catalog_neural`), drawn by a hypothesis strategy (`generate.programs`) that asks the ops' own
shape rules whether each statement is well-typed and keeps values in safe domains with interval
bounds (`intervals`). Each program runs (`executors`):

1. eagerly (the reference; ``eager[create_graph]``: gradient rules run on Tensors; and
   ``arrays``: plain NumPy through dispatch, values only),
2. through the static interpreter (also with unknown placeholder dims, ``interpret[dynamic]``),
3. through the compiler with all passes (``compiled``, ``compiled[dynamic]``),
4. through the compiler with each pass alone (``compiled[<pass>]``),
5. in PyTorch (float64) when torch is installed;

and the output, the loss ``sum(output * weight)`` and the gradient of every input must agree
(`check`). A failing program is shrunk by hypothesis and printed as a short runnable script
(`script.to_script`); findings not fixed yet are recognized by signature (`known`) so runs can
look past them, each pinned by a strict xfail in tests/fuzz/test_regressions.py.

Tolerances (elementwise, scaled by the array's largest magnitude ``s``,
``|got - eager| <= atol + rtol * s``; NaN must match NaN, inf the same inf):

* our executors vs eager: rtol 1e-9, atol 1e-12 (same kernels and rules in float64; passes
  may only reorder or fuse arithmetic);
* PyTorch vs eager: rtol 1e-7, atol 1e-10 (different algorithms, still float64);
* shapes must be identical, and our executors must return float64.

Run long from the command line (the test suite runs a small seeded budget, tests/fuzz/):

    python -m compare.fuzz --examples 2000 --seed 7 [--empty] [--max-stmts 10]

Not compared, by design: programs whose shape rules need known dims are skipped by the dynamic
executors (``squeeze(axis=None)`` of unknown dims); a scan over zero steps is never drawn
(eager refuses it: no ys to stack); dims that are 1 stay known in dynamic placeholders (see
the unknown-dims xfail in tests/fuzz/test_regressions.py).
"""

from .check import OURS_TOL, TORCH_TOL, Mismatch, check_function
from .generate import programs
from .program import Program, Stmt
from .script import check_program, report, to_script

__all__ = ["OURS_TOL", "TORCH_TOL", "Mismatch", "Program", "Stmt", "check_function",
           "check_program", "programs", "report", "to_script"]
