"""Per-op overhead of eager: ``a + b`` on small tensors, against NumPy and PyTorch.

    python benchmarks/bench_eager_ops.py [--quick]

For each case the best of several timing rounds (the least-disturbed run, in CPU time) is
reported, in microseconds per call, with eager's ratio to NumPy (the kernel alone) and to
torch eager when torch is installed. "grad" cases have inputs with ``requires_grad=True``,
so each call also records a tape entry; "backward" times a whole forward + ``backward()`` of
``(a + b).sum()``.
A breakdown shows where eager's time goes: the dispatcher (``shared_ops.dispatch.call_op``,
what calling an op runs; ``a + b`` itself skips it, see eager/tensor.py's ``_operator``) and
the eager mode's own ``apply``; with grad, the tape entry and the thread-local grad mode read.
"""

from __future__ import annotations

import argparse
import time
import timeit

import numpy as np

import eager
import shared_ops
from eager.autograd.function import TapeNode
from eager.tensor import apply
from shared_ops import dispatch


def best_us(fn, number: int, repeat: int) -> float:
    """Microseconds per call, best of ``repeat`` rounds of ``number`` calls.

    CPU time of this process (``process_time``), so that other processes sharing the machine
    distort the figures less than wall-clock time would."""
    times = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return min(times) / number * 1e6


def cases(lib, na: np.ndarray, nb: np.ndarray) -> dict:
    """The timed calls, by case name, written once for ``lib`` (eager or torch)."""
    a, b = lib.from_numpy(na), lib.from_numpy(nb)
    ag = lib.tensor(na, requires_grad=True)
    bg = lib.tensor(nb, requires_grad=True)

    def backward_step():
        ag.grad = bg.grad = None
        (ag + bg).sum().backward()

    return {"a + b, no grad": lambda: a + b, "a + b, grad": lambda: ag + bg,
            "a * 2.0, no grad": lambda: a * 2.0, "(a + b).sum().backward()": backward_step}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls (a smoke run)")
    args = parser.parse_args()
    number, repeat = (2_000, 3) if args.quick else (50_000, 7)

    rng = np.random.default_rng(0)
    na, nb = rng.standard_normal((2, 3)).astype(np.float32)
    a, b = eager.from_numpy(na), eager.from_numpy(nb)
    eager_rows = cases(eager, na, nb)
    numpy_rows = {"a + b, no grad": lambda: na + nb, "a + b, grad": lambda: na + nb,
                  "a * 2.0, no grad": lambda: na * np.float32(2.0)}
    try:
        import torch
    except ImportError:
        torch = None
    torch_rows = cases(torch, na, nb) if torch is not None else {}
    rows = [(name, fn, numpy_rows.get(name)) for name, fn in eager_rows.items()]

    print(f"{'case':28} {'eager us':>9} {'numpy us':>9} {'x numpy':>8} {'torch us':>9} "
          f"{'x torch':>8}")
    for name, ours, ref in rows:
        t = best_us(ours, number, repeat)
        n = best_us(ref, number, repeat) if ref is not None else None
        tt = best_us(torch_rows[name], number, repeat) if name in torch_rows else None
        print(f"{name:28} {t:9.3f} {_f(n)} {_ratio(t, n)} {_f(tt)} {_ratio(t, tt)}")

    print("\nwhere the time of `a + b` (no grad) goes:")
    add = shared_ops.add
    parts = [
        ("NumPy kernel", lambda: np.add(na, nb)),
        ("eager apply (kernel + Tensor)", lambda: apply(add, (a, b), {})),
        ("dispatch.call_op (checks + apply)", lambda: dispatch.call_op(add, a, b)),
        ("add(a, b) (the op called: call_op)", lambda: add(a, b)),
        ("(general path's normalize: skipped)", lambda: dispatch.normalize_args(add, (a, b))),
        ("Tensor.__add__ (straight to apply)", lambda: a + b),
    ]
    for name, fn in parts:
        print(f"  {name:34} {best_us(fn, number, repeat):7.3f} us")

    print("\nand with grad: what recording adds (apply with grad minus apply without):")
    ag, bg = eager_grad_pair(na, nb)
    arrays, counter, needs = (na, nb), [0], (True, True)
    parts = [
        ("eager apply, inputs want grad", lambda: apply(add, (ag, bg), {})),
        ("the tape entry alone (TapeNode)", lambda: TapeNode(add, {}, (ag, bg), arrays, na,
                                                             (0, 0), counter, 0, needs)),
        ("grad mode read (thread-local)", lambda: eager.is_grad_enabled()),
        ("Tensor.__add__ with grad", lambda: ag + bg),
    ]
    for name, fn in parts:
        print(f"  {name:34} {best_us(fn, number, repeat):7.3f} us")


def eager_grad_pair(na: np.ndarray, nb: np.ndarray) -> tuple:
    """Two leaf Tensors that want gradients (their ops record tape entries)."""
    return eager.tensor(na, requires_grad=True), eager.tensor(nb, requires_grad=True)


def _f(x: float | None) -> str:
    return f"{x:9.3f}" if x is not None else f"{'-':>9}"


def _ratio(t: float, ref: float | None) -> str:
    return f"{t / ref:7.2f}x" if ref else f"{'-':>8}"


if __name__ == "__main__":
    main()
