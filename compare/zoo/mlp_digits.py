"""An MLP on scikit-learn's 8x8 digits: 64 -> 32 (relu) -> 10, cross-entropy."""

from __future__ import annotations

import numpy as np

import eager.nn as nn
import shared_ops as ops

from ._data import digits_batches
from .registry import ModelCase, register_model


class MLP(nn.Module):
    """64 -> 32 -> 10 with a ReLU between."""

    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(ops.relu(self.fc1(x)))


def loss(logits, target):
    """The training loss, written here so that graph nodes and errors point at this file."""
    return ops.cross_entropy(logits, target)


@register_model("mlp_digits", order=1,
                description="MLP 64-32-10 on sklearn digits, cross-entropy")
def mlp_digits(dtype: np.dtype) -> ModelCase:
    """Digits as 64-pixel rows, batches of 32."""
    return ModelCase(model=MLP().to(dtype),
                     batches=digits_batches(dtype, batch=32, n_batches=8, image=False),
                     loss=loss, lr=0.2)
