"""A minGPT-style model trained three ways: eager, ``static.compile``, and a traced Session.

    python benchmarks/bench_compile_gpt.py [--quick] [--steps N]

One step = zero_grad, forward (logits and cross-entropy loss), backward, plain SGD update:

* eager: the Module as written, eager's tape and ``eager.optim.SGD``;
* compile: ``static.compile(model)``, the same loop (the compiled region's backward feeds
  eager's tape, eager's optimizer updates the Module's Parameters);
* Session: ``static.trace(model, idx, targets=...)`` + ``static.optim.SGD.minimize`` and one
  ``Session.run`` a step (the whole step, update included, in the graph).

Printed per mode: the one-off cost (trace and compile; for compile and Session the first
call, which also plans buffers, is shown apart), and the median steady-state step time. All
three start from the same weights; the losses of the last step are printed to show they
trained the same model (compile matches eager to rounding; the Session folds the update
into the graph, so it matches too).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time

if __name__ == "__main__":  # one BLAS thread: this is a 2-core box shared with others
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from torch_style_models import GPT  # noqa: E402 (a sibling, as user_models is)

import eager  # noqa: E402
import static  # noqa: E402

LR = 0.05
BLOCK = 5  # steps a mode runs in a row before the next mode's turn


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def eager_step(model, idx, tgt, losses: list):
    """One step of the eager loop (a compiled model takes the same loop)."""
    opt = eager.optim.SGD(model.parameters(), lr=LR)

    def step():
        opt.zero_grad()
        _, loss = model(idx, tgt)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    return step


def session_step(model, idx, tgt, losses: list):
    """The whole step in one graph: trace, minimize, one Session.run a step. Returns the
    step and the build time (trace, optimizer nodes, Session)."""
    spec = static.TensorSpec((None, idx.shape[1]), np.int64)
    start = time.perf_counter()
    traced = static.trace(model, spec, targets=spec)
    loss = traced.outputs[1]
    with traced.graph.as_default():
        train = static.optim.SGD(LR).minimize(loss)
    session = static.Session(traced.graph)
    build = time.perf_counter() - start
    feeds = {traced.inputs[0]: idx.numpy(), traced.inputs[1]: tgt.numpy()}

    def step():
        losses.append(float(session.run([loss, train], feeds)[0]))

    return step, build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller model, fewer steps")
    parser.add_argument("--steps", type=int, default=None)
    args = parser.parse_args()
    if args.quick:
        config, batch, steps = dict(vocab=32, n_embd=32, n_head=2, block_size=16, n_layer=1), 8, 10
    else:
        config, batch, steps = dict(vocab=65, n_embd=64, n_head=4, block_size=32, n_layer=2), 16, 30
    steps = args.steps or steps
    eager.manual_seed(0)
    base = GPT(**config, attn_pdrop=0.0)  # no dropout: three modes, one loss
    rng = np.random.default_rng(0)
    idx = eager.tensor(rng.integers(0, config["vocab"], (batch, config["block_size"])))
    tgt = eager.tensor(rng.integers(0, config["vocab"], (batch, config["block_size"])))

    losses: dict[str, list] = {"eager": [], "compile": [], "Session": []}
    compiled = static.compile(copy.deepcopy(base))
    s_step, s_build = session_step(copy.deepcopy(base), idx, tgt, losses["Session"])
    steps_of = {"eager": eager_step(copy.deepcopy(base), idx, tgt, losses["eager"]),
                "compile": eager_step(compiled, idx, tgt, losses["compile"]),
                "Session": s_step}
    first = {name: timed(step) for name, step in steps_of.items()}
    record = compiled.ledger.records[0]
    build = {"eager": None, "compile": (record.trace_ms + record.compile_ms) / 1e3,
             "Session": s_build}
    # Blocks of steps in rotating order, so that a change of load on this shared machine
    # during the run does not favour one mode.
    times: dict[str, list[float]] = {name: [] for name in steps_of}
    names = list(steps_of)
    for r in range(steps // BLOCK + (steps % BLOCK > 0)):
        for name in names[r % 3:] + names[:r % 3]:
            times[name] += [timed(steps_of[name]) for _ in range(BLOCK)]

    print(f"minGPT-style model {config}, batch {batch}, {steps} steady steps, SGD lr={LR}")
    print(f"{'mode':<10}{'trace+compile ms':>18}{'first step ms':>15}{'steady step ms':>16}"
          f"{'vs eager':>10}{'last loss':>11}")
    eager_ms = statistics.median(times["eager"]) * 1e3
    for name in names:
        ms = statistics.median(times[name]) * 1e3
        build_text = "-" if build[name] is None else f"{build[name] * 1e3:.1f}"
        print(f"{name:<10}{build_text:>18}{first[name] * 1e3:>15.1f}{ms:>16.2f}"
              f"{eager_ms / ms:>9.2f}x{losses[name][-1]:>11.5f}")


if __name__ == "__main__":
    main()
