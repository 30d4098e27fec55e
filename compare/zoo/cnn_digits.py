"""A small CNN on the 8x8 digits: conv 3x3 (4 maps) -> relu -> maxpool 2 -> linear 64 -> 10."""

from __future__ import annotations

import functools

import eager.nn as nn
import shared_ops as ops

from ._data import digits_batches
from .losses import class_loss
from .registry import case_factory, register_model


class SmallCNN(nn.Module):
    """(B, 1, 8, 8) -> conv(4, 3x3, pad 1) -> relu -> maxpool 2 -> (B, 64) -> 10 logits."""

    def __init__(self, channels: int = 4) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, channels, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(channels * 16, 10)

    def forward(self, x):
        h = self.pool(ops.relu(self.conv(x)))
        # -1 keeps the batch dim free, so the static graph serves every batch size.
        h = ops.reshape(h, shape=(-1, self.fc.in_features))
        return self.fc(h)


cnn_digits = case_factory(
    SmallCNN, functools.partial(digits_batches, batch=16, n_batches=6, image=True), class_loss,
    lr=0.1, doc="Digits as 1x8x8 images, batches of 16.")
register_model("cnn_digits", order=2,
               description="CNN conv3x3(4)-pool-linear on sklearn digits")(cnn_digits)
