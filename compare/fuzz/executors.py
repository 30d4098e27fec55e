"""The five ways (and their variants) to run a fuzz program, all returning a `Result`.

* ``eager``: the program on eager Tensors, ``loss.backward()`` (the reference);
* ``eager[create_graph]``: the same with ``backward(create_graph=True)``: the gradient rules
  run on Tensors (recording a differentiable backward) instead of on ndarrays;
* ``arrays``: the program on plain ndarrays (kernels through dispatch, no mode), values only;
* ``interpret``: staged into a static graph, `static.gradients`, run by the node-by-node
  `Interpreter` through a `Session`;
* ``compiled``: the same graph through `static.compiler.compile` with the whole pipeline and
  generated code (control flow included); placeholders take `HOSTILE_NAMES`;
* ``compiled[<pass>]``: the compiler with that one pass alone (one executor per pass);
* ``interpret[dynamic]``, ``compiled[dynamic]``: as above with the placeholders' dims unknown
  (``None``, all but the 1s) while building, so shape-taking ops take their ``like`` inputs;
  a program whose shape rules need known dims (``squeeze(axis=None)``...) is skipped;
* ``torch``: the PyTorch text of the program (float64) when torch is installed.

Every executor gets the same function of values, the same input arrays and the same output
weights; the loss is ``sum(output * weight)`` and gradients are taken w.r.t. every input
(zeros where an input does not reach the output).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import shared_ops as ops
from shared_ops.errors import OpError


class Inexpressible(Exception):
    """The program cannot be built with unknown dims (a shape rule needs them known): the
    dynamic executors skip it rather than report it."""


@dataclass
class Result:
    """What one executor computed: output, loss and one gradient per input."""

    out: np.ndarray
    loss: np.ndarray
    grads: list[np.ndarray]


def _grads_or_zeros(grads, inputs) -> list[np.ndarray]:
    return [np.zeros_like(x) if g is None else np.asarray(g) for g, x in
            zip(grads, inputs, strict=True)]


def run_eager(fn: Callable, inputs: list[np.ndarray], weight: np.ndarray,
              create_graph: bool = False) -> Result:
    import eager

    xs = [eager.tensor(x.copy(), requires_grad=True) for x in inputs]
    out = fn(*xs)
    loss = ops.sum(ops.mul(out, weight))
    if loss.requires_grad:  # an output behind stop_gradient has no gradient at all
        loss.backward(create_graph=create_graph)
    grads = [None if x.grad is None else x.grad.detach().numpy() for x in xs]
    return Result(out.numpy().copy(), loss.numpy().copy(), _grads_or_zeros(grads, inputs))


def _unknown(shape: tuple[int, ...]) -> tuple[int | None, ...]:
    """Every dim unknown but the 1s. Static graphs assume two unknown dims are equal when
    broadcasting (`shared_ops.aval.broadcast_shapes`), so an unknown 1 against an unknown n
    would build a gradient of the wrong shape (see tests/fuzz/test_regressions.py)."""
    return tuple(1 if d == 1 else None for d in shape)


# Placeholder names that once broke generated code or could: Python builtins, names the
# generated module defines, keywords and non-ASCII letters (NFKC folds "ﬁ" into "fi").
HOSTILE_NAMES = ("range", "len", "sum", "pow", "min", "max", "np", "abs", "print", "None",
                 "step", "_make", "_b0", "_add", "k_relu", "do_scan", "t", "steps", "ﬁ", "fi",
                 "float64", "x0")


def input_name(i: int, inputs: list[np.ndarray]) -> str:
    """The name of input ``i``'s placeholder: one of `HOSTILE_NAMES`, varied with the
    program's input sizes (so a run of the fuzzer meets them all), fixed per program."""
    return HOSTILE_NAMES[(sum(x.size for x in inputs) + i) % len(HOSTILE_NAMES)]


def _build(fn: Callable, inputs: list[np.ndarray], weight: np.ndarray, dynamic: bool = False):
    """The program as a static graph: placeholders (dims unknown when ``dynamic``),
    output, loss and gradient nodes."""
    import static

    graph = static.Graph()
    with graph:
        phs = [static.placeholder(_unknown(x.shape) if dynamic else x.shape, dtype=x.dtype,
                                  name=input_name(i, inputs))
               for i, x in enumerate(inputs)]
        try:
            out = fn(*phs)
        except OpError as e:
            if dynamic:  # squeeze(axis=None) of unknown dims...: refused by design, say so
                raise Inexpressible(str(e)) from e
            raise
        loss = ops.sum(ops.mul(out, weight))
        grads = static.gradients(loss, phs)
    fetches = [out, loss] + [g for g in grads if g is not None]
    return graph, phs, fetches, grads


def _unpack(values: list, grads: list, inputs: list[np.ndarray]) -> Result:
    it = iter(values[2:])
    got = [None if g is None else next(it) for g in grads]
    return Result(np.asarray(values[0]), np.asarray(values[1]), _grads_or_zeros(got, inputs))


def run_interpret(fn: Callable, inputs: list[np.ndarray], weight: np.ndarray,
                  dynamic: bool = False) -> Result:
    import static

    graph, phs, fetches, grads = _build(fn, inputs, weight, dynamic)
    feeds = dict(zip(phs, inputs, strict=True))
    values = static.Session(graph, executor="interpret").run(fetches, feeds)
    return _unpack(values, grads, inputs)



def run_compiled(fn: Callable, inputs: list[np.ndarray], weight: np.ndarray,
                 passes: list[str] | None = None, dynamic: bool = False) -> Result:
    from static.compiler import compile as compile_graph

    graph, phs, fetches, grads = _build(fn, inputs, weight, dynamic)
    step = compile_graph(graph, fetches, feeds=phs, passes=passes)
    values = step.run(dict(zip(phs, inputs, strict=True)))
    return _unpack(values, grads, inputs)


def run_torch(torch_fn: Callable, inputs: list[np.ndarray], weight: np.ndarray) -> Result:
    import torch

    xs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out = torch_fn(*xs)
    loss = (out * torch.from_numpy(weight)).sum()
    if loss.requires_grad:
        loss.backward()
    grads = [None if x.grad is None else x.grad.numpy() for x in xs]
    return Result(out.detach().numpy().copy(), loss.detach().numpy().copy(),
                  _grads_or_zeros(grads, inputs))


def pass_names() -> list[str]:
    from static.compiler import PIPELINE

    return [name for name, _ in PIPELINE]


def executor_names(torch: bool = True) -> list[str]:
    """Every executor: eager (also with create_graph), arrays (plain NumPy dispatch, forward
    only), interpret, compiled, their dynamic-shape variants, compiled[<pass>] per pass and
    torch."""
    names = ["eager", "eager[create_graph]", "arrays", "interpret", "interpret[dynamic]",
             "compiled", "compiled[dynamic]"]
    names += [f"compiled[{p}]" for p in pass_names()]
    return names + (["torch"] if torch else [])


def run(name: str, fn: Callable, torch_fn: Callable | None, inputs: list[np.ndarray],
        weight: np.ndarray) -> Result:
    """Run executor ``name`` (see `executor_names`)."""
    if name == "eager":
        return run_eager(fn, inputs, weight)
    if name == "interpret":
        return run_interpret(fn, inputs, weight)
    if name == "eager[create_graph]":
        return run_eager(fn, inputs, weight, create_graph=True)
    if name == "interpret[dynamic]":
        return run_interpret(fn, inputs, weight, dynamic=True)
    if name == "compiled":
        return run_compiled(fn, inputs, weight)
    if name == "compiled[dynamic]":
        return run_compiled(fn, inputs, weight, dynamic=True)
    if name.startswith("compiled["):
        return run_compiled(fn, inputs, weight, passes=[name[len("compiled["):-1]])
    if name == "torch":
        return run_torch(torch_fn, inputs, weight)
    raise ValueError(f"unknown executor {name!r}; known: {executor_names()}")
