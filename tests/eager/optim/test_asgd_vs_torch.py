"""ASGD against torch.optim.ASGD: 10 steps from the same weights agree within 1e-6 over its
options (averaging from t0 on included) and parameter groups; state dict, signature, printing
and errors."""

import pytest
from optim_pairs import (
    assert_refused_as_torch,
    assert_same_parameters,
    assert_same_state,
    assert_signature_is_torchs,
    groups,
    pair,
    train_eager,
    train_torch,
)

import eager.optim as optim

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3},
    {"lr": 0.01, "weight_decay": 0.1, "t0": 0}, {"lr": 0.002, "maximize": True, "t0": 5},
], ids=str)
def test_ten_steps_and_state_match_torch(kwargs):
    ours, theirs = pair(torch)
    opt, ref = optim.ASGD(ours.parameters(), **kwargs), torch.optim.ASGD(theirs.parameters(),
                                                                         **kwargs)
    train_eager(ours, opt, 10)
    train_torch(torch, theirs, ref, 10)
    assert_same_parameters(ours, theirs)
    assert_same_state(opt, ref)


def test_groups_and_printing_match_torch():
    options = ({"lr": 0.05, "t0": 2}, {"lambd": 0.01})
    ours, theirs = pair(torch)
    opt, ref = optim.ASGD(groups(ours, options)), torch.optim.ASGD(groups(theirs, options))
    assert repr(opt) == repr(ref)
    train_eager(ours, opt, 8)
    train_torch(torch, theirs, ref, 8)
    assert_same_parameters(ours, theirs)


def test_signature_is_torchs():
    assert_signature_is_torchs(torch, "ASGD")


@pytest.mark.parametrize("kwargs", [{"lr": -1}, {"weight_decay": -1}])
def test_bad_arguments_raise_torchs_errors(kwargs):
    assert_refused_as_torch(torch, "ASGD", kwargs)
