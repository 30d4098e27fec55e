"""Optimizer steps with PyTorch's state Tensors: the time of one ``step()`` of Adam, SGD with
momentum and RMSprop on a 2-layer MLP (64 -> hidden -> 10), and what swapping the new state
array into its Tensor saves over copying it (`eager.optim.buffers.commit_state`, measured in
docs/PERFORMANCE.md), in one process, in process CPU time:

    .venv/bin/python benchmarks/bench_optimizer_state.py

Each figure is the best of 15 rounds of 200 steps; the swap and copy rounds alternate.
"""

from __future__ import annotations

import time

import eager
import eager.nn as nn
import eager.optim as optim
from eager.optim import buffers

OPTIMIZERS = {
    "Adam": lambda params: optim.Adam(params, lr=1e-3),
    "SGD-momentum": lambda params: optim.SGD(params, lr=1e-3, momentum=0.9),
    "RMSprop": lambda params: optim.RMSprop(params),
}


def step_times(make, hidden: int, steps: int = 200, rounds: int = 15) -> dict[str, float]:
    """Best microseconds per ``step()`` with the swap (as shipped) and with copies only."""
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    opt = make(model.parameters())
    model(eager.randn(8, 64)).sum().backward()
    for _ in range(20):
        opt.step()
    limits = {"swap": buffers.UNSHARED_REFS, "copy": 0}  # a limit of 0 refuses every swap
    best = dict.fromkeys(limits, float("inf"))
    try:
        for _ in range(rounds):
            for name, limit in limits.items():
                buffers.UNSHARED_REFS = limit
                start = time.process_time()
                for _ in range(steps):
                    opt.step()
                best[name] = min(best[name], (time.process_time() - start) / steps * 1e6)
    finally:
        buffers.UNSHARED_REFS = limits["swap"]
    return best


def main() -> None:
    print(f"{'hidden':>6}  {'optimizer':<13} {'swap us':>8} {'copy us':>8}")
    for hidden in (32, 512):
        for name, make in OPTIMIZERS.items():
            best = step_times(make, hidden)
            print(f"{hidden:>6}  {name:<13} {best['swap']:8.1f} {best['copy']:8.1f}")


if __name__ == "__main__":
    main()
