"""A fuzz program: a few float64 inputs and a short list of SSA statements over them.

A `Program` is plain data (hashable, printable, what hypothesis draws and shrinks). It turns
into Python source, once for shared_ops and once for PyTorch, and that source is the
program: `function` executes it, `script.py` prints it.

    >>> p = Program(((2,),), ((0.5, 2.0),), (Stmt("exp", (0,), ()),), seed=0)
    >>> print(p.source())
    def program(x0):
        v0 = ops.exp(x0)
        return v0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

import shared_ops as ops

from . import (  # noqa: F401 -- they register their entries
    catalog_control,
    catalog_neural,
    catalog_struct,
)
from .catalog import ENTRIES
from .intervals import Interval


@dataclass(frozen=True)
class Stmt:
    """``v_k = entry(args...)``; ``args`` index the program's values (inputs first)."""

    entry: str
    args: tuple[int, ...]
    attrs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Program:
    """Input shapes and value ranges, statements, and the seed of the input values.

    The output is the last statement's value; gradients are those of
    ``sum(output * weight)`` for a fixed random ``weight`` of the output's shape (a plain
    ``sum`` would hide transposed or permuted gradients)."""

    shapes: tuple[tuple[int, ...], ...]
    domains: tuple[Interval, ...]
    stmts: tuple[Stmt, ...]
    seed: int

    @property
    def n_inputs(self) -> int:
        return len(self.shapes)

    def name(self, i: int) -> str:
        return f"x{i}" if i < self.n_inputs else f"v{i - self.n_inputs}"

    def inputs(self) -> list[np.ndarray]:
        """The input arrays: uniform in each input's range, from ``seed``."""
        rng = np.random.default_rng(self.seed)
        # np.asarray: for shape () NumPy's generator returns a bare np.float64.
        return [np.asarray(rng.uniform(lo, hi, size=shape)) for shape, (lo, hi) in
                zip(self.shapes, self.domains, strict=True)]

    def weight(self, shape: tuple[int, ...]) -> np.ndarray:
        """The cotangent weights of the output (values in +-[0.5, 1.5], never near 0)."""
        rng = np.random.default_rng(self.seed + 1)
        return np.asarray(rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape))

    def live(self) -> list[int]:
        """Indices of the statements the output depends on (`trimmed` drops the others for
        printing; executors still see them, the prune pass included)."""
        need = {self.n_inputs + len(self.stmts) - 1}
        for k in range(len(self.stmts) - 1, -1, -1):
            if self.n_inputs + k in need:
                need.update(self.stmts[k].args)
        return [k for k in range(len(self.stmts)) if self.n_inputs + k in need]

    def trimmed(self) -> tuple[Program, list[np.ndarray]]:
        """The program without dead statements and unused inputs, with its input arrays
        (taken from this program's, so values stay the same): what a reproducer prints."""
        live = self.live()
        used = sorted({a for k in live for a in self.stmts[k].args if a < self.n_inputs}
                      or {0})
        remap = {old: new for new, old in enumerate(used)}
        for k in live:
            remap[self.n_inputs + k] = len(remap)  # inputs first, then live statements
        stmts = tuple(Stmt(s.entry, tuple(remap[a] for a in s.args), s.attrs)
                      for s in (self.stmts[k] for k in live))
        arrays = self.inputs()
        trimmed = Program(tuple(self.shapes[i] for i in used),
                          tuple(self.domains[i] for i in used), stmts, self.seed)
        return trimmed, [arrays[i] for i in used]

    def source(self, flavor: str = "ours") -> str:
        """``def program(x0, ...)`` (flavor ``"ours"``) or ``def torch_program(...)``."""
        fname = "program" if flavor == "ours" else "torch_program"
        params = ", ".join(self.name(i) for i in range(self.n_inputs))
        lines = [f"def {fname}({params}):"]
        for k, s in enumerate(self.stmts):
            e = ENTRIES[s.entry]
            call = e.render(e.ours if flavor == "ours" else e.torch,
                            [self.name(a) for a in s.args], dict(s.attrs))
            lines.append(f"    {self.name(self.n_inputs + k)} = {call}")
        out = self.name(self.n_inputs + len(self.stmts) - 1) if self.stmts else "x0"
        lines.append(f"    return {out}")
        return "\n".join(lines)

    def function(self, flavor: str = "ours"):
        """The program as a Python function (of arrays, Tensors or Nodes; or torch tensors)."""
        return compile_source(self.source(flavor), flavor)


def compile_source(source: str, flavor: str = "ours"):
    """Execute ``def program(...)`` / ``def torch_program(...)`` source; return the function."""
    namespace: dict[str, Any] = {"ops": ops, "np": np}
    if flavor != "ours":
        import torch

        from . import torch_ops

        namespace.update(torch=torch, T=torch_ops)
    exec(compile(source, "<fuzz program>", "exec"), namespace)  # noqa: S102 -- our own text
    return namespace["program" if flavor == "ours" else "torch_program"]
