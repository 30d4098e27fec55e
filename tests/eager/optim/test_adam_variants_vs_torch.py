"""Adamax, NAdam and RAdam against torch: 10 steps of the same model from the same weights
agree within 1e-6 (float32) over their options, with parameter groups; also signatures,
printing, state dict contents, and the errors for bad arguments."""

import pytest
from optim_pairs import (
    assert_refused_as_torch,
    assert_same_parameters,
    assert_same_state,
    assert_signature_is_torchs,
    assert_steps_match_torch,
    config_id,
    grid,
    groups,
    pair,
    smaller_ascent_steps,
    train_eager,
    train_torch,
)

import eager.optim as optim

torch = pytest.importorskip("torch")

NAMES = ["Adamax", "NAdam", "RAdam"]

# Gradient ascent on this loss is unstable (see optim_pairs.smaller_ascent_steps).
CONFIGS = smaller_ascent_steps(
    [("Adamax", kw) for kw in grid(lr=[0.01], weight_decay=[0, 0.1], maximize=[False, True])]
    + [("Adamax", dict(betas=(0.5, 0.9), eps=1e-3))]
    + [("NAdam", kw) for kw in grid(lr=[0.01], weight_decay=[0, 0.1], maximize=[False, True],
                                    decoupled_weight_decay=[False, True])]
    + [("NAdam", dict(momentum_decay=0.05, betas=(0.8, 0.9), eps=1e-3))]
    + [("RAdam", kw) for kw in grid(lr=[0.01], weight_decay=[0, 0.1], maximize=[False, True],
                                    decoupled_weight_decay=[False, True])]
    # betas[1] = 0.5 makes rho_t > 5 from the seventh step: both branches of the rectification.
    + [("RAdam", dict(lr=0.05, betas=(0.9, 0.5), eps=1e-3))]
)


@pytest.mark.parametrize("config", CONFIGS, ids=[config_id(c) for c in CONFIGS])
def test_ten_steps_match_torch(config):
    assert_steps_match_torch(torch, *config)


@pytest.mark.parametrize("name", NAMES)
def test_parameter_groups_printing_and_state_dict_match_torch(name):
    options = ({"lr": 0.05, "weight_decay": 0.1}, {"betas": (0.5, 0.9)})
    ours, theirs = pair(torch)
    opt = getattr(optim, name)(groups(ours, options), lr=0.01)
    ref = getattr(torch.optim, name)(groups(theirs, options), lr=0.01)
    assert repr(opt) == repr(ref)
    assert opt.defaults == ref.defaults
    train_eager(ours, opt, 10)
    train_torch(torch, theirs, ref, 10)
    assert_same_parameters(ours, theirs)
    assert_same_state(opt, ref)


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trip_continues_like_torch(name):
    ours, theirs = pair(torch)
    opt = getattr(optim, name)(ours.parameters(), lr=0.01)
    ref = getattr(torch.optim, name)(theirs.parameters(), lr=0.01)
    train_eager(ours, opt, 4)
    train_torch(torch, theirs, ref, 4)
    again = getattr(optim, name)(ours.parameters(), lr=0.01)
    again.load_state_dict(opt.state_dict())
    train_eager(ours, again, 4)
    train_torch(torch, theirs, ref, 4)
    assert_same_parameters(ours, theirs)


@pytest.mark.parametrize("name", NAMES)
def test_signature_and_defaults_are_torchs(name):
    assert_signature_is_torchs(torch, name)


BAD = [(name, kw) for name in NAMES for kw in (
    {"lr": -1}, {"eps": -1}, {"weight_decay": -1}, {"betas": (0.9, 1.0)}, {"betas": (-0.1, 0.9)})]
BAD += [("NAdam", {"momentum_decay": -1})]


@pytest.mark.parametrize("name,kwargs", BAD, ids=[config_id(c) for c in BAD])
def test_bad_arguments_raise_torchs_errors(name, kwargs):
    assert_refused_as_torch(torch, name, kwargs)
