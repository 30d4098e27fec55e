"""The seed's SimpleNet: 10 -> 5 (sigmoid) -> 1 logit, BCE on a synthetic binary task; and
`SeedSimpleNet`, the same layers as the seed snippet writes them (relu, then a sigmoid
probability). Tests and benchmarks import both from here.

examples/seed_snippets.py keeps its own copy of the snippet's class on purpose: it must run
unchanged under PyTorch (tests/eager/test_seed_snippets.py swaps its imports for torch's).
"""

from __future__ import annotations

import numpy as np

import eager
import eager.nn as nn
import shared_ops as ops

from ._data import binary_task
from .registry import ModelCase, register_model


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


def loss(logits, target):
    """The training loss, written here so that graph nodes and errors point at this file."""
    return ops.binary_cross_entropy_with_logits(logits, target)


@register_model("simplenet", order=0,
                description="seed SimpleNet 10-5-1, BCE, synthetic binary task", tags=("seed",))
def simplenet(dtype: np.dtype) -> ModelCase:
    """The seed network, trained with plain SGD on logits with a stable BCE."""
    return ModelCase(model=SimpleNet().to(dtype),
                     batches=binary_task(dtype, features=10, batch=16, n_batches=8),
                     loss=loss, lr=0.5)
