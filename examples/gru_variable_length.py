"""Train a GRU sequence classifier on variable-length sequences, eagerly and as a traced static
step under each shape policy, and print what each policy cost.

    python examples/gru_variable_length.py [--batches 12] [--policies exact buckets dynamic]

The task: is the sum of a sequence's first feature positive? Sequences are 5..50 steps long and
each batch is padded to its longest; the model takes the true lengths (``lengths=``), so the
padded steps never reach the final hidden state. Every policy ends with the parameters eager
training reached (the script checks), and their ledgers show the price: ``exact`` traces once
per distinct length, ``buckets`` once per bucket, ``dynamic`` once (a ``scan`` over an unknown
number of steps). The payback line says after how many calls compiling beat running eagerly.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import numpy as np

import eager
import eager.nn as nn
import shared_ops as ops
import static
from compare.zoo.gru_seq import GRULayerClassifier
from static.tracing import trace

FEATURES, HIDDEN, BATCH, LR = 3, 8, 4, 0.5


def make_model() -> GRULayerClassifier:
    """The zoo's GRU layer classifier (GRU over (batch, time, features), ``lengths=``, a
    linear head on the final hidden state), in float64."""
    return GRULayerClassifier(FEATURES, HIDDEN, dtype=eager.float64)


def batches(n: int, seed: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``n`` padded batches (x, labels, lengths) with lengths drawn from 5..50."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        longest = int(rng.integers(5, 51))
        lengths = rng.integers(5, longest + 1, size=BATCH)
        lengths[0] = longest
        x = rng.standard_normal((BATCH, longest, FEATURES))
        for b, length in enumerate(lengths):
            x[b, length:] = 0.0
        yield x, (x[:, :, 0].sum(axis=1) > 0).astype(np.int64), lengths


def train_eagerly(model: nn.Module, n: int) -> float:
    """Train in eager mode; returns seconds per step."""
    opt = eager.optim.SGD(model.parameters(), lr=LR)
    start = time.perf_counter()
    for x, y, lengths in batches(n):
        opt.zero_grad()
        ops.cross_entropy(model(eager.tensor(x), lengths=lengths), eager.tensor(y)).backward()
        opt.step()
    return (time.perf_counter() - start) / n


def train_static(model: nn.Module, policy, n: int) -> static.Function:
    """Train with a traced step under ``policy``; returns the Function (its ledger)."""
    @static.function(shape_policy=policy)
    def step(x, y, lengths):
        loss = ops.cross_entropy(trace(model, x, lengths=lengths), y)
        static.optim.SGD(lr=LR).minimize(loss)
        return loss

    for x, y, lengths in batches(n):
        step(x, y, lengths)
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--policies", nargs="+", default=["exact", "buckets", "dynamic"])
    args = parser.parse_args()
    policies = {"exact": "exact", "dynamic": "dynamic",
                "buckets": static.Buckets([16, 32, 64], axis=1)}

    eager.manual_seed(0)
    reference = make_model()
    initial = reference.state_dict()
    initial = {k: np.asarray(v).copy() for k, v in initial.items()}
    eager_step = train_eagerly(reference, args.batches)
    print(f"eager: {eager_step * 1e3:.1f} ms per step")
    for name in args.policies:
        model = make_model()
        model.load_state_dict({k: eager.tensor(v) for k, v in initial.items()})
        step = train_static(model, policies[name], args.batches)
        worst = max(float(np.abs(np.asarray(p) - np.asarray(q)).max())
                    for p, q in zip(model.parameters(), reference.parameters(), strict=True))
        step.ledger.payback(eager_step)
        print(f"\n{name}: max parameter difference to eager training {worst:.1e}")
        print(step.ledger)


if __name__ == "__main__":
    main()
