"""MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss,
CosineEmbeddingLoss, TripletMarginLoss, PoissonNLLLoss and GaussianNLLLoss against torch: every
reduction, values and gradients, printing, signatures, buffers and errors."""

import inspect

import numpy as np
import pytest
from nn_parity import randn, run_both

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")


def signs(*shape, seed=0):
    return np.where(randn(*shape, seed=seed) > 0, 1.0, -1.0).astype(np.float32)


def positive(*shape, seed=0):
    return np.abs(randn(*shape, seed=seed)) + 0.1


# (layer, constructor kwargs, inputs; the inputs after the first `grads` get no gradient)
CASES = [
    ("MarginRankingLoss", {"margin": 0.3}, [randn(6), randn(6, seed=1), signs(6, seed=2)], 2),
    ("HingeEmbeddingLoss", {"margin": 0.5}, [randn(4, 5), signs(4, 5, seed=1)], 1),
    ("SoftMarginLoss", {}, [randn(4, 5), signs(4, 5, seed=1)], 1),
    ("MultiLabelSoftMarginLoss", {}, [randn(4, 5), (signs(4, 5, seed=1) > 0).astype(np.float32)],
     1),
    ("MultiLabelSoftMarginLoss", {"weight": np.arange(1.0, 6.0, dtype=np.float32)},
     [randn(4, 5), (signs(4, 5, seed=1) > 0).astype(np.float32)], 1),
    ("CosineEmbeddingLoss", {"margin": 0.2}, [randn(4, 5), randn(4, 5, seed=1), signs(4, seed=2)],
     2),
    ("TripletMarginLoss", {"swap": True}, [randn(4, 5), randn(4, 5, seed=1), randn(4, 5, seed=2)],
     3),
    ("TripletMarginLoss", {"p": 1, "margin": 2.0},
     [randn(4, 5), randn(4, 5, seed=1), randn(4, 5, seed=2)], 3),
    ("PoissonNLLLoss", {"full": True}, [randn(4, 5), positive(4, 5, seed=1) * 3], 1),
    ("PoissonNLLLoss", {"log_input": False}, [positive(4, 5), positive(4, 5, seed=1) * 3], 1),
    ("GaussianNLLLoss", {"full": True}, [randn(4, 5), randn(4, 5, seed=1), positive(4, 5, seed=2)],
     3),
    ("GaussianNLLLoss", {}, [randn(4, 5), randn(4, 5, seed=1), positive(4, seed=2)], 3),
    ("GaussianNLLLoss", {}, [randn(4, 5), randn(4, 5, seed=1), positive(4, 1, seed=2) * 1e-7], 3),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name,kwargs,inputs,grads", CASES, ids=lambda v: str(v)[:40])
def test_loss_matches_torch(name, kwargs, inputs, grads, reduction):
    ours_kwargs = dict(kwargs, reduction=reduction)
    theirs_kwargs = dict(ours_kwargs)
    if "weight" in kwargs:
        ours_kwargs["weight"] = eager.tensor(kwargs["weight"])
        theirs_kwargs["weight"] = torch.tensor(kwargs["weight"])
    ours, theirs = getattr(nn, name)(**ours_kwargs), getattr(torch.nn, name)(**theirs_kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    graded = [a for a in inputs[:grads]]
    fixed = inputs[grads:]
    run_both(lambda *xs: ours(*xs, *[eager.tensor(f) for f in fixed]),
             lambda *xs: theirs(*xs, *[torch.tensor(f) for f in fixed]), graded, torch,
             rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
                                  "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss",
                                  "TripletMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss"])
def test_signature_is_torchs(name):
    ours = inspect.signature(getattr(nn, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.nn, name).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


@pytest.mark.parametrize("call,error,message", [
    (lambda lib: lib.nn.TripletMarginLoss(margin=0.0), ValueError,
     "expected margin to be greater than 0"),
    (lambda lib: lib.nn.GaussianNLLLoss()(lib.ones(4, 5), lib.ones(4, 5), lib.ones(3)),
     ValueError, "var is of incorrect size"),
    (lambda lib: lib.nn.GaussianNLLLoss()(lib.ones(2), lib.ones(2), -lib.ones(2)), ValueError,
     "var has negative entry/entries"),
    (lambda lib: lib.nn.SoftMarginLoss(reduction="avg")(lib.ones(2), lib.ones(2)), ValueError,
     "avg is not a valid value for reduction"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib)
