"""The "user's code" of the fault catalogue: small models and training loops with one bug each.

This file plays the user: error messages should point *here* (its file:line), not into the
framework. A line marked ``# fault: NAME`` is where the bug of fault NAME lives (or where the
bad value enters); the catalogue checks whether each mode's message names that line.

Every scenario has the same two loops: `eager_train` (zero_grad, forward, loss, backward,
step) and `static_build` + `static_step` (placeholders, trace, loss, minimize, Session.run).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import eager
import eager.nn as nn
import shared_ops as ops
import static
from static.tracing import trace

BATCH, FEATURES = 8, 10


class Net(nn.Module):
    """10 -> hidden -> out; ``variant`` switches on one bug at a time."""

    def __init__(self, variant: str = "", out: int = 1) -> None:
        super().__init__()
        self.variant = variant
        hidden = 6 if variant == "wrong_width" else 5
        self.fc1 = nn.Linear(FEATURES, hidden)  # fault: wrong_width (6 != fc2's 5)
        self.fc2 = nn.Linear(5, out)

    def forward(self, x):
        if self.variant == "nan_log0":
            x = ops.log(x)  # fault: nan_log0, nan_log0_anomaly
        h = ops.sigmoid(self.fc1(x))  # fault: bad_batch_shape, nan_log0_anomaly
        if self.variant == "python_branch" and ops.sum(h) > 0:  # fault: python_branch
            h = ops.mul(h, 2.0)
        if self.variant == "print_intermediate":
            print("hidden:", h)  # fault: print_intermediate
        out = self.fc2(h)  # fault: wrong_width
        if self.variant == "inplace_saved":
            h *= 2.0  # fault: inplace_saved (fc2 saved h for its weight gradient)
        return out


def _bce(out, y):
    return ops.binary_cross_entropy_with_logits(out, y)


def _ce(out, y):
    return ops.cross_entropy(out, y)  # fault: dtype_confusion, class_index


@dataclass
class Scenario:
    """One fault: the model variant, its data per step, the loss, and the feeds."""

    name: str
    variant: str = ""
    classes: int = 0  # 0: binary (BCE on one logit), else cross-entropy over that many classes
    x_shape: tuple = (None, FEATURES)
    y_spec: tuple = ((None, 1), "float64")
    steps: int = 3
    data: dict = field(default_factory=dict)  # step -> (x, y) overrides
    drop_feed: bool = False
    anomaly: bool = False  # eager: train under eager.autograd.detect_anomaly()

    def batch(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k in self.data:
            return self.data[k]
        rng = np.random.default_rng(k)
        x = rng.uniform(0.1, 1.0, (BATCH, FEATURES))
        if self.classes:
            return x, rng.integers(0, self.classes, BATCH)
        return x, (x[:, :1] > 0.5).astype(np.float64)

    def loss(self, out, y):
        return _ce(out, y) if self.classes else _bce(out, y)

    def model(self) -> Net:
        eager.manual_seed(0)
        return Net(self.variant, out=self.classes or 1).double()


def eager_train(s: Scenario, progress) -> None:
    """The eager loop; ``progress.at(k)`` before step k, ``progress.record(loss)`` after."""
    model = s.model()
    opt = eager.optim.SGD(model.parameters(), lr=0.5)
    checking = eager.autograd.detect_anomaly() if s.anomaly else contextlib.nullcontext()
    with checking:
        _eager_loop(s, model, opt, progress)


def _eager_loop(s: Scenario, model: Net, opt, progress) -> None:
    for k in range(s.steps):
        progress.at(k)
        x, y = s.batch(k)
        opt.zero_grad()
        if s.drop_feed:  # noqa: SIM108 -- each branch carries its own fault marker
            out = model()  # fault: missing_input
        else:
            out = model(eager.tensor(x))  # fault: bad_batch_shape
        loss = s.loss(out, eager.tensor(y))  # fault: dtype_confusion, class_index
        loss.backward()  # fault: inplace_saved
        opt.step()
        progress.record(float(loss.item()))


def static_build(s: Scenario) -> dict[str, Any]:
    """Build the training graph (the "build" phase)."""
    model = s.model()
    with static.Graph() as g:
        x = static.placeholder(s.x_shape, np.float64, name="x")
        y = static.placeholder(s.y_spec[0], np.dtype(s.y_spec[1]), name="y")
        out = trace(model, x)  # fault: wrong_width, python_branch
        loss = s.loss(out, y)  # fault: dtype_confusion
        train = static.optim.SGD(lr=0.5).minimize(loss)
    return {"session": static.Session(g), "x": x, "y": y, "loss": loss, "train": train,
            "model": model}


def eager_replay(s: Scenario, model: Net, k: int) -> None:
    """Step k's forward, loss and backward run eagerly on the static run's weights."""
    x, y = s.batch(k)
    out = model(eager.tensor(x))  # fault: bad_batch_shape
    s.loss(out, eager.tensor(y)).backward()  # fault: class_index, inplace_saved


def static_step(s: Scenario, built: dict[str, Any], k: int) -> float:
    """One run of the train op (the "run" phase)."""
    x, y = s.batch(k)
    feeds = {built["x"]: x} if s.drop_feed else {built["x"]: x, built["y"]: y}
    sess, fetches = built["session"], [built["loss"], built["train"]]
    loss, _ = sess.run(fetches, feeds)  # fault: bad_batch_shape, missing_input, class_index
    return float(loss)
