"""GRUs over variable-length sequences: two zoo models, one lesson about shape policies.

``gru_seq``: a GRUCell unrolled per time step, then a classifier. Each batch holds sequences of
one length; lengths differ between batches. The static mode traces one graph per distinct
length (the "exact" shape policy), so every new length costs a trace and a compile again.

``gru_epoch``: `GRULayerClassifier`, an ``nn.GRU`` layer over padded batches with their true
``lengths=``, over a realistic epoch of many lengths. Its time dim is left unknown, so the
traced graph holds the time loop as one ``scan``: one trace serves the whole epoch. The GRU
example, its shape-policy test and the GRU step benchmark share the same Module.
"""

from __future__ import annotations

import functools

import numpy as np

import eager.nn as nn
import shared_ops as ops

from ._data import padded_sequence_batches, sequence_batches
from .losses import class_loss
from .registry import case_factory, register_model


class GRUClassifier(nn.Module):
    """GRUCell(features -> hidden) unrolled over T, last state -> Linear -> 2 logits."""

    def __init__(self, features: int = 3, hidden: int = 8) -> None:
        super().__init__()
        self.cell = nn.GRUCell(features, hidden)
        self.head = nn.Linear(hidden, 2)

    def forward(self, x):
        h = None
        for t in range(x.shape[1]):  # the length is a Python int: known in both modes
            h = self.cell(x[:, t, :], h)
        return self.head(h)


class GRULayerClassifier(nn.Module):
    """``nn.GRU`` over (batch, time, features), ``lengths=`` optional; a linear head on the
    last layer's final hidden state -> 2 logits."""

    def __init__(self, features: int = 3, hidden: int = 8, dtype: np.dtype | None = None) -> None:
        super().__init__()
        self.gru = nn.GRU(features, hidden, batch_first=True, dtype=dtype)
        self.head = nn.Linear(hidden, 2, dtype=dtype)

    def forward(self, x, lengths=None):
        _, h_n = self.gru(x, lengths=lengths)
        return self.head(ops.getitem(h_n, -1))


gru_seq = case_factory(
    GRUClassifier, functools.partial(sequence_batches, features=3, batch=8,
                                     lengths=[3, 5, 4, 5, 3, 6]),
    class_loss, lr=0.2, dynamic_dims=(), shape_policy="exact (one trace per sequence length)",
    doc="Batches of 8 sequences with lengths 3, 5, 4, 5, 3, 6: four distinct traces in static.")
register_model("gru_seq", order=3,
               description="GRUCell unrolled over variable-length sequences")(gru_seq)

# One epoch of gru_epoch: lengths drawn from 3..40, every batch padded to its longest sequence.
EPOCH = {"features": 3, "batch": 16, "n_batches": 120, "min_len": 3, "max_len": 40}

gru_epoch = case_factory(
    functools.partial(GRULayerClassifier, EPOCH["features"], 16),
    functools.partial(padded_sequence_batches, **EPOCH),
    class_loss, lr=0.2, dynamic_dims=(0, 1),
    shape_policy="dynamic time dim (one trace: scan over the padded length)",
    doc="""`GRULayerClassifier` over a realistic epoch: 120 batches of 16 sequences whose lengths
    are drawn from 3..40, each batch padded to its longest with the true ``lengths=`` passed.

    The lesson beside ``gru_seq``: there the exact shape policy traces one unrolled graph per
    distinct length, each costing a trace, a compile and code generation, so compiling pays
    back only after many epochs. Here the time dim (and the batch) is left unknown
    (``dynamic_dims=(0, 1)``): the GRU's time loop becomes one ``scan`` node, the epoch traces
    and compiles once, and only code generation runs again per distinct padded length (some ten
    milliseconds each), so the compiled step pays back within the first epoch. The harness
    times a whole epoch, every trace, compile and code generation included.""")
register_model("gru_epoch", order=3.5,
               description="nn.GRU over an epoch of variable-length batches: one scan")(gru_epoch)
