"""The seed's SimpleNet: 10 -> 5 (sigmoid) -> 1 logit, BCE on a synthetic binary task; and
`SeedSimpleNet`, the same layers as the seed snippet writes them (relu, then a sigmoid
probability). Tests and benchmarks import both from here.

examples/seed_snippets.py keeps its own copy of the snippet's class on purpose: it must run
unchanged under PyTorch (tests/eager/test_seed_snippets.py swaps its imports for torch's).
"""

from __future__ import annotations

import functools

import eager
import eager.nn as nn
import shared_ops as ops

from ._data import binary_task
from .losses import binary_loss
from .registry import case_factory, register_model


class SimpleNet(nn.Module):
    """10 -> 5 (sigmoid) -> 1 logit."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 5)
        self.fc2 = nn.Linear(5, 1)

    def forward(self, x):
        return self.fc2(ops.sigmoid(self.fc1(x)))


class SeedSimpleNet(SimpleNet):
    """10 -> 5 (relu) -> 1 (sigmoid): probabilities, for ``nn.BCELoss``, as the seed snippet
    writes it (the eager training benchmark races it against PyTorch and NumPy)."""

    def forward(self, x):
        return eager.sigmoid(self.fc2(eager.relu(self.fc1(x))))


simplenet = case_factory(
    SimpleNet, functools.partial(binary_task, features=10, batch=16, n_batches=8), binary_loss,
    lr=0.5, doc="The seed network, trained with plain SGD on logits with a stable BCE.")
register_model("simplenet", order=0, tags=("seed",),
               description="seed SimpleNet 10-5-1, BCE, synthetic binary task")(simplenet)
