"""Training-step time of eager against hand-written NumPy and PyTorch, from one run.

    python benchmarks/bench_eager_training.py [--quick] [--cpu] [--block N]

Two models, each trained with plain SGD; one step = zero_grad, forward, loss, backward, update:

* SimpleNet 10-5-1 (ReLU, sigmoid, BCE), batch 32: the framework's per-op overhead;
* MLP 784-256-256-10 (ReLU, softmax cross-entropy), batch 128: the NumPy work itself.

Baselines: the same step hand-written in NumPy ("naive": allocating every temporary, the way
one writes it first; "prealloc": every buffer allocated once and written with ``out=``), and
torch eager when it is installed. Printed: median step time and eager's ratio to each
baseline.

The variants take turns in blocks of ``--block`` steps (default 20), in an order that rotates,
so that a change of machine load during the run does not bias the ratios. Why blocks and not
single steps: a training loop runs its steps back to back, each finding the previous step's
code and data in the caches; with single-step turns, every step of every variant starts
after three other frameworks have run, a cold start no training loop sees. That costs the
Python-heavy variants most (measured: eager's SimpleNet step 171 us in blocks of 10, 211 us
in single-step turns; torch's 370 and 404 us). ``--block 1`` measures that cold-start case.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

# One BLAS thread, like torch below: two BLAS threads busy-waiting on a 2-core machine made the
# NumPy MLP baselines 10x slower and the ratios meaningless. Must happen before NumPy loads.
if __name__ == "__main__":
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from sgd_step import sgd_step  # noqa: E402 (a sibling)
from timing import switches  # noqa: E402 (a sibling)

import eager  # noqa: E402
import eager.nn as nn  # noqa: E402
import eager.optim  # noqa: E402,F401  (eager.optim.SGD, reached as lib.optim)
from compare.zoo.simplenet import SeedSimpleNet  # noqa: E402

LR = 0.01
# The project's goals, per model: eager's step time at most this multiple of that baseline's.
TARGETS = [("torch eager", 0.5), ("numpy naive", 1.2)]


# --- eager -----------------------------------------------------------------------------------
def training_step(lib, model, loss_fn, x, y) -> Callable[[], None]:
    """One SGD step of ``model`` on (x, y); ``lib`` is eager or torch, the step the same code."""
    xt, yt = lib.from_numpy(x), lib.from_numpy(y)
    return sgd_step(lib, model, lambda: loss_fn(model(xt), yt), LR)


def eager_step(model: nn.Module, loss_fn, x, y) -> Callable[[], None]:
    return training_step(eager, model, loss_fn, x, y)


def eager_mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


# --- hand-written NumPy ----------------------------------------------------------------------
def weights_of(model: nn.Module) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def numpy_simple_naive(params, x, y):
    w1, b1, w2, b2 = params
    n = len(x)

    def step():
        h_pre = x @ w1.T + b1
        h = np.maximum(h_pre, 0)
        p = 1 / (1 + np.exp(-(h @ w2.T + b2)))
        eps = 1e-12
        _loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        dz = (p - y) / n  # BCE through the sigmoid
        dw2, db2 = dz.T @ h, dz.sum(0)
        dh = (dz @ w2) * (h_pre > 0)
        dw1, db1 = dh.T @ x, dh.sum(0)
        for w, g in ((w1, dw1), (b1, db1), (w2, dw2), (b2, db2)):
            w -= LR * g

    return step


def numpy_mlp_naive(params, x, labels):
    w1, b1, w2, b2, w3, b3 = params
    n = len(x)
    onehot = np.eye(10, dtype=x.dtype)[labels]

    def step():
        a1 = x @ w1.T + b1
        h1 = np.maximum(a1, 0)
        a2 = h1 @ w2.T + b2
        h2 = np.maximum(a2, 0)
        z = h2 @ w3.T + b3
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(1, keepdims=True)
        _loss = -np.mean(np.log(p[np.arange(n), labels]))
        dz = (p - onehot) / n
        dw3, db3 = dz.T @ h2, dz.sum(0)
        d2 = (dz @ w3) * (a2 > 0)
        dw2, db2 = d2.T @ h1, d2.sum(0)
        d1 = (d2 @ w2) * (a1 > 0)
        dw1, db1 = d1.T @ x, d1.sum(0)
        for w, g in ((w1, dw1), (b1, db1), (w2, dw2), (b2, db2), (w3, dw3), (b3, db3)):
            w -= LR * g

    return step


# The preallocated steps' backward, shared: each writes into buffers allocated once.
def linear_grads(dz, inp, gw, gb):
    """Gradients of ``inp @ w.T + b`` from ``dz``, into ``gw`` and ``gb``."""
    np.matmul(dz.T, inp, out=gw)
    np.sum(dz, axis=0, out=gb)


def relu_backward(dz, w, pre, out):
    """The gradient at ``relu(pre)`` that fed ``w``, into ``out``."""
    np.matmul(dz, w, out=out)
    np.multiply(out, pre > 0, out=out)


def sgd_in_place(params, grads):
    for w, g in zip(params, grads, strict=True):
        g *= LR
        w -= g


def numpy_mlp_prealloc(params, x, labels):
    """The MLP step with every buffer allocated once (the best NumPy can do per step)."""
    w1, b1, w2, b2, w3, b3 = params
    n = len(x)
    f = x.dtype
    a1, a2 = np.empty((n, 256), f), np.empty((n, 256), f)
    h1, h2 = np.empty((n, 256), f), np.empty((n, 256), f)
    z, m, s = np.empty((n, 10), f), np.empty((n, 1), f), np.empty((n, 1), f)
    d1, d2 = np.empty((n, 256), f), np.empty((n, 256), f)
    grads = [np.empty_like(w) for w in params]
    rows = np.arange(n)

    def linear_relu(inp, w, b, pre, out):
        np.matmul(inp, w.T, out=pre)
        pre += b
        np.maximum(pre, 0, out=out)

    def step():
        linear_relu(x, w1, b1, a1, h1)
        linear_relu(h1, w2, b2, a2, h2)
        np.matmul(h2, w3.T, out=z)
        np.add(z, b3, out=z)
        np.max(z, axis=1, keepdims=True, out=m)
        np.subtract(z, m, out=z)
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=s)
        np.divide(z, s, out=z)  # probabilities
        _loss = -np.log(z[rows, labels]).mean()
        z[rows, labels] -= 1
        np.divide(z, n, out=z)  # dL/dlogits
        gw1, gb1, gw2, gb2, gw3, gb3 = grads
        linear_grads(z, h2, gw3, gb3)
        relu_backward(z, w3, a2, d2)
        linear_grads(d2, h1, gw2, gb2)
        relu_backward(d2, w2, a1, d1)
        linear_grads(d1, x, gw1, gb1)
        sgd_in_place(params, grads)

    return step


def numpy_simple_prealloc(params, x, y):
    w1, b1, w2, b2 = params
    n = len(x)
    f = x.dtype
    h_pre, h, z = np.empty((n, 5), f), np.empty((n, 5), f), np.empty((n, 1), f)
    dh = np.empty((n, 5), f)
    grads = [np.empty_like(w) for w in params]

    def step():
        np.matmul(x, w1.T, out=h_pre)
        np.add(h_pre, b1, out=h_pre)
        np.maximum(h_pre, 0, out=h)
        np.matmul(h, w2.T, out=z)
        np.add(z, b2, out=z)
        np.negative(z, out=z)
        np.exp(z, out=z)
        np.add(z, 1, out=z)
        np.reciprocal(z, out=z)  # p
        np.subtract(z, y, out=z)
        np.divide(z, n, out=z)  # dL/dz
        gw1, gb1, gw2, gb2 = grads
        linear_grads(z, h, gw2, gb2)
        relu_backward(z, w2, h_pre, dh)
        linear_grads(dh, x, gw1, gb1)
        sgd_in_place(params, grads)

    return step


# --- torch -----------------------------------------------------------------------------------
def torch_step(torch, model_fn, loss_fn, weights, x, y):
    model = model_fn()
    with torch.no_grad():
        for p, w in zip(model.parameters(), weights, strict=True):
            p.copy_(torch.from_numpy(w))
    return training_step(torch, model, loss_fn, x, y)


def torch_models(torch):
    tnn = torch.nn

    def simple():
        return tnn.Sequential(tnn.Linear(10, 5), tnn.ReLU(), tnn.Linear(5, 1), tnn.Sigmoid())

    def mlp():
        return tnn.Sequential(tnn.Linear(784, 256), tnn.ReLU(), tnn.Linear(256, 256), tnn.ReLU(),
                              tnn.Linear(256, 10))

    return simple, mlp


# --- timing ----------------------------------------------------------------------------------
def measure(steps: dict[str, Callable[[], None]], reps: int, warmup: int,
            clock: Callable[[], float] = time.perf_counter, block: int = 20
            ) -> dict[str, float]:
    """Median step time of each variant, in microseconds.

    The variants take turns, ``block`` steps each (in an order that rotates every round), so
    that a machine whose load changes during the run slows them all alike and the ratios stay
    fair; every step is timed on its own. ``clock``: wall time by default;
    ``time.process_time`` counts only this process's CPU time (``--cpu``), steadier on a
    machine shared with other work, where a step may wait for a core.
    """
    for step in steps.values():
        for _ in range(warmup):
            step()
    times: dict[str, list[float]] = {k: [] for k in steps}
    order = list(steps.items())
    for r in range(max(1, reps // block)):
        # The order rotates every round: a variant that always ran right after the same
        # other one would always find that one's data in (or evicted from) the caches.
        k = r % len(order)
        for name, step in order[k:] + order[:k]:
            for _ in range(block):
                t0 = clock()
                step()
                times[name].append(clock() - t0)
    return {k: statistics.median(v) * 1e6 for k, v in times.items()}


def run(quick: bool = False, clock: Callable[[], float] = time.perf_counter, block: int = 20
        ) -> dict[str, dict[str, float]]:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    eager.manual_seed(0)
    results: dict[str, dict[str, float]] = {}
    scale = 5 if quick else 1

    # SimpleNet.
    x = rng.standard_normal((32, 10)).astype(np.float32)
    y = rng.integers(0, 2, (32, 1)).astype(np.float32)
    model = SeedSimpleNet()  # relu, then a sigmoid probability: the peers' network
    w = weights_of(model)
    simple = {"eager": eager_step(model, nn.BCELoss(), x, y),
              "numpy naive": numpy_simple_naive([a.copy() for a in w], x, y),
              "numpy prealloc": numpy_simple_prealloc([a.copy() for a in w], x, y)}
    if torch is not None:
        simple["torch eager"] = torch_step(torch, torch_models(torch)[0], torch.nn.BCELoss(), w,
                                           x, y)
    results["SimpleNet 10-5-1, batch 32"] = measure(simple, 3000 // scale, 300 // scale, clock,
                                                     block)

    # MLP.
    x = rng.standard_normal((128, 784)).astype(np.float32)
    labels = rng.integers(0, 10, 128)
    model = eager_mlp()
    w = weights_of(model)
    mlp = {"eager": eager_step(model, nn.CrossEntropyLoss(), x, labels),
           "numpy naive": numpy_mlp_naive([a.copy() for a in w], x, labels),
           "numpy prealloc": numpy_mlp_prealloc([a.copy() for a in w], x, labels)}
    if torch is not None:
        mlp["torch eager"] = torch_step(torch, torch_models(torch)[1],
                                        torch.nn.CrossEntropyLoss(), w, x, labels)
    results["MLP 784-256-256-10, batch 128"] = measure(mlp, 400 // scale, 40 // scale, clock,
                                                        block)
    return results


def main() -> None:
    parser = switches(__doc__, quick="fewer steps (a smoke run)",
                      cpu="time with this process's CPU time instead of the wall clock")
    parser.add_argument("--block", type=int, default=20,
                        help="steps per turn of each variant (1: the cold-start case)")
    args = parser.parse_args()
    results = run(args.quick, time.process_time if args.cpu else time.perf_counter,
                  max(1, args.block))
    print("torch single-threaded (set OMP_NUM_THREADS=1 for NumPy too); median step "
          f"{'CPU time' if args.cpu else 'time'}, turns of {max(1, args.block)} steps.")
    for (name, times), (baseline, target) in zip(results.items(), TARGETS, strict=True):
        print(f"\n{name}")
        base = times["eager"]
        for k, t in times.items():
            ratio = "" if k == "eager" else f"   eager / {k} = {base / t:.2f}x"
            print(f"  {k:15s} {t:9.1f} us{ratio}")
        if baseline in times:
            ratio = base / times[baseline]
            verdict = "met" if ratio <= target else "NOT met"
            print(f"  target: eager <= {target}x {baseline}: {verdict} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
