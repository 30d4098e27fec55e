"""An MLP on scikit-learn's 8x8 digits: 64 -> 32 (relu) -> 10, cross-entropy."""

from __future__ import annotations

import functools

import eager.nn as nn
import shared_ops as ops

from ._data import digits_batches
from .losses import class_loss
from .registry import case_factory, register_model


class MLP(nn.Module):
    """64 -> 32 -> 10 with a ReLU between."""

    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(ops.relu(self.fc1(x)))


mlp_digits = case_factory(
    MLP, functools.partial(digits_batches, batch=32, n_batches=8, image=False), class_loss,
    lr=0.2, doc="Digits as 64-pixel rows, batches of 32.")
register_model("mlp_digits", order=1,
               description="MLP 64-32-10 on sklearn digits, cross-entropy")(mlp_digits)
