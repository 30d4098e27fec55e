"""``Buckets(..., dynamic=True)``: pad to a bucket, trace once with the padded axis unknown
(a GRU's time loop becomes a ``scan``), compile once per bucket; training equals eager's."""

import numpy as np

import eager
import shared_ops as ops
import static
from compare.zoo.gru_seq import GRULayerClassifier
from static.shape_policy import Buckets
from static.trace_ledger import CallArg
from static.tracing import trace

FEATURES, HIDDEN, BATCH, LR = 3, 6, 4, 0.3
SIZES = [8, 16, 24]


def batches(n: int):
    rng = np.random.default_rng(5)
    for _ in range(n):
        lengths = rng.integers(2, 25, size=BATCH)
        x = rng.standard_normal((BATCH, int(lengths.max()), FEATURES))
        x[np.arange(x.shape[1]) >= lengths[:, None]] = 0.0
        yield x, (x[:, :, 0].sum(axis=1) > 0).astype(np.int64), lengths


def models():
    eager.manual_seed(0)
    a = GRULayerClassifier(FEATURES, HIDDEN, dtype=eager.float64)
    b = GRULayerClassifier(FEATURES, HIDDEN, dtype=eager.float64)
    b.load_state_dict(a.state_dict())
    return a, b


def test_one_trace_one_plan_per_bucket_and_eager_training():
    reference, model = models()
    opt = eager.optim.SGD(reference.parameters(), lr=LR)

    @static.function(shape_policy=Buckets(SIZES, axis=1, dynamic=True))
    def step(x, y, lengths):
        loss = ops.cross_entropy(trace(model, x, lengths=lengths), y)
        static.optim.SGD(lr=LR).minimize(loss)
        return loss

    buckets = set()
    for x, y, lengths in batches(12):
        buckets.add(next(s for s in SIZES if s >= x.shape[1]))
        static_loss = step(x, y, lengths)
        opt.zero_grad()
        loss = ops.cross_entropy(reference(eager.tensor(x), lengths=lengths), eager.tensor(y))
        loss.backward()
        opt.step()
        np.testing.assert_allclose(static_loss, loss.item(), rtol=1e-10)
    assert len(buckets) >= 2
    assert step.ledger.traces == 1  # the padded axis is unknown: one trace for every bucket
    (record,) = step.ledger.records
    assert "?" in record.signature and len(record.shapes) == len(buckets)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=1e-9, atol=1e-12)


def test_the_axis_is_unknown_only_for_padded_arguments():
    b = Buckets(SIZES, axis=1, dynamic=True, pad=["x"])
    f64 = np.dtype(np.float64)
    assert b.generalize(CallArg("x", (4, 9, 3), f64)).shape == (4, None, 3)
    assert b.generalize(CallArg("h", (4, 9, 3), f64)).shape == (4, 9, 3)  # not padded
    assert b.generalize(CallArg("lengths", (4,), np.dtype(np.int64))).shape == (4,)
    assert Buckets(SIZES).generalize(CallArg("x", (4, 9, 3), f64)).shape == (4, 9, 3)
    assert repr(b) == "buckets=[8, 16, 24], dynamic"
