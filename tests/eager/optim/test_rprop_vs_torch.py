"""Rprop against torch.optim.Rprop: 10 steps from the same weights agree within 1e-6 over its
options and parameter groups; signature, printing, state dict and errors."""

import pytest
from optim_pairs import (
    assert_refused_as_torch,
    assert_same_parameters,
    assert_same_state,
    assert_signature_is_torchs,
    assert_steps_match_torch,
    groups,
    pair,
    train_eager,
    train_torch,
)

import eager.optim as optim

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.05, "etas": (0.3, 1.5)}, {"lr": 0.002, "maximize": True},
    {"step_sizes": (1e-3, 0.02)},
], ids=str)
def test_ten_steps_match_torch(kwargs):
    assert_steps_match_torch(torch, "Rprop", kwargs)


def test_groups_printing_and_state_dict_match_torch():
    options = ({"lr": 0.05}, {"etas": (0.4, 1.1)})
    ours, theirs = pair(torch)
    opt, ref = optim.Rprop(groups(ours, options)), torch.optim.Rprop(groups(theirs, options))
    assert repr(opt) == repr(ref)
    train_eager(ours, opt, 6)
    train_torch(torch, theirs, ref, 6)
    assert_same_parameters(ours, theirs)
    assert_same_state(opt, ref)


def test_signature_is_torchs():
    assert_signature_is_torchs(torch, "Rprop")


@pytest.mark.parametrize("kwargs", [{"lr": -1}, {"etas": (1.5, 1.2)}, {"etas": (0.5, 0.9)}])
def test_bad_arguments_raise_torchs_errors(kwargs):
    assert_refused_as_torch(torch, "Rprop", kwargs)
