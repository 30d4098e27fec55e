"""Optimizers with sparse (COO) gradients against torch's: SGD (plain, momentum, Nesterov,
maximize), Adagrad and SparseAdam give torch's weights (SparseAdam leaves the untouched rows
and their moments alone), the others refuse with torch's errors, SparseAdam's argument checks,
and clip_grad_norm_'s refusal of COO gradients."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:Sparse invariant checks")

STEPS = ([1, 3, 1], [0, 3], [4, 4, 1])


def train(L, make_opt, steps=STEPS):
    """Embedding rows after a few steps, or the (type, message) of the error raised."""
    L.manual_seed(0)
    emb = L.nn.Embedding(6, 3, sparse=True)
    try:
        opt = make_opt(L.optim, emb.parameters())
        for lookups in steps:
            opt.zero_grad()
            emb(L.tensor(lookups)).pow(2).sum().backward()
            opt.step()
    except Exception as error:  # noqa: BLE001 (compared with torch's below)
        return type(error), str(error)
    return emb.weight.detach().numpy()


@pytest.mark.parametrize("make_opt", [
    lambda O, p: O.SGD(p, lr=0.1), lambda O, p: O.SGD(p, lr=0.1, momentum=0.9),
    lambda O, p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    lambda O, p: O.SGD(p, lr=0.1, maximize=True),
    lambda O, p: O.Adagrad(p, lr=0.1), lambda O, p: O.Adagrad(p, lr=0.1, lr_decay=0.1),
    lambda O, p: O.SparseAdam(list(p), lr=0.1),
    lambda O, p: O.SparseAdam(list(p), lr=0.05, betas=(0.5, 0.9), maximize=True),
], ids=["sgd", "sgd-momentum", "sgd-nesterov", "sgd-maximize", "adagrad", "adagrad-decay",
        "sparse-adam", "sparse-adam-maximize"])
def test_updates_are_torchs(make_opt):
    mine, theirs = train(eager, make_opt), train(torch, make_opt)
    np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


def test_sparse_adam_leaves_untouched_rows_and_moments_alone():
    def make_opt(O, p):
        return O.SparseAdam(list(p), lr=0.1)
    start = train(eager, make_opt, steps=())
    after = train(eager, make_opt, steps=([1], [2], [1]))
    changed = (after != start).any(axis=1)
    assert changed.tolist() == [False, True, True, False, False, False]
    np.testing.assert_allclose(after, train(torch, make_opt, steps=([1], [2], [1])), rtol=1e-6)


@pytest.mark.parametrize("make_opt", [
    lambda O, p: O.SGD(p, lr=0.1, weight_decay=0.1),
    lambda O, p: O.Adagrad(p, weight_decay=0.1),
    lambda O, p: O.Adam(p), lambda O, p: O.AdamW(p), lambda O, p: O.RMSprop(p),
    lambda O, p: O.Adadelta(p), lambda O, p: O.Adamax(p), lambda O, p: O.NAdam(p),
], ids=["sgd-wd", "adagrad-wd", "adam", "adamw", "rmsprop", "adadelta", "adamax", "nadam"])
def test_refusals_are_torchs(make_opt):
    mine, theirs = train(eager, make_opt), train(torch, make_opt)
    assert isinstance(mine, tuple) and mine == theirs


def test_sparse_adam_refuses_dense_gradients():
    errors = []
    for L in (eager, torch):
        w = L.nn.Parameter(L.ones(3))
        w.grad = L.ones(3)
        with pytest.raises(RuntimeError) as info:
            L.optim.SparseAdam([w]).step()
        errors.append(str(info.value))
    assert errors[0] == errors[1] == ("SparseAdam does not support dense gradients, please "
                                      "consider Adam instead")


@pytest.mark.parametrize("kwargs", [{"lr": 0.0}, {"lr": -1.0}, {"eps": -1.0},
                                    {"betas": (1.0, 0.9)}, {"betas": (0.9, -0.1)}])
def test_sparse_adam_argument_checks_are_torchs(kwargs):
    errors = []
    for L in (eager, torch):
        with pytest.raises(ValueError) as info:
            L.optim.SparseAdam([L.nn.Parameter(L.ones(3))], **kwargs)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_sparse_adam_groups_and_repr_are_torchs():
    shown = []
    for L in (eager, torch):
        opt = L.optim.SparseAdam([L.nn.Parameter(L.ones(3))])
        shown.append((repr(opt), opt.defaults))
    assert shown[0] == shown[1]


def test_clip_grad_norm_refuses_sparse_gradients_as_torch():
    kinds = []
    for L in (eager, torch):
        emb = L.nn.Embedding(5, 2, sparse=True)
        emb(L.tensor([1, 3])).sum().backward()
        with pytest.raises(NotImplementedError, match="linalg_vector_norm") as info:
            L.nn.utils.clip_grad_norm_(emb.parameters(), 0.5)
        kinds.append(str(info.value).split(".")[0])
    assert kinds[0] == kinds[1]
