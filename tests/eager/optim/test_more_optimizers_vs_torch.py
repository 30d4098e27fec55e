"""Adamax, NAdam, RAdam, ASGD and Rprop against torch: 10 steps of the same model from the same
weights agree within 1e-6 (float32) over their options, state dicts included (ASGD's averaging
from t0 on too); also parameter groups, printing, state dict round trips, and the errors for
bad arguments (their signatures: test_optimizers_vs_torch.py)."""

import pytest
from optim_pairs import (
    assert_refused_as_torch,
    assert_same_parameters,
    assert_same_state,
    assert_steps_match_torch,
    config_id,
    grid,
    groups,
    optimizer_pair,
    smaller_ascent_steps,
    train_both,
)

import eager.optim as optim

torch = pytest.importorskip("torch")

ADAM_VARIANTS = ["Adamax", "NAdam", "RAdam"]
NAMES = [*ADAM_VARIANTS, "ASGD", "Rprop"]

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
) + [("ASGD", kw) for kw in (
    {}, {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3},
    {"lr": 0.01, "weight_decay": 0.1, "t0": 0}, {"lr": 0.002, "maximize": True, "t0": 5})
] + [("Rprop", kw) for kw in (
    {}, {"lr": 0.05, "etas": (0.3, 1.5)}, {"lr": 0.002, "maximize": True},
    {"step_sizes": (1e-3, 0.02)})
]


@pytest.mark.parametrize("config", CONFIGS, ids=[config_id(c) for c in CONFIGS])
def test_ten_steps_and_state_match_torch(config):
    assert_same_state(*assert_steps_match_torch(torch, *config))


ADAM_GROUPS = ({"lr": 0.05, "weight_decay": 0.1}, {"betas": (0.5, 0.9)})
# name -> (options of the two groups, the constructor's other arguments, steps)
GROUPS = {
    **{name: (ADAM_GROUPS, {"lr": 0.01}, 10) for name in ADAM_VARIANTS},
    "ASGD": (({"lr": 0.05, "t0": 2}, {"lambd": 0.01}), {}, 8),
    "Rprop": (({"lr": 0.05}, {"etas": (0.4, 1.1)}), {}, 6),
}


@pytest.mark.parametrize("name", NAMES)
def test_parameter_groups_printing_and_state_dict_match_torch(name):
    options, kwargs, steps = GROUPS[name]
    ours, theirs, opt, ref = optimizer_pair(torch, name, lambda m: groups(m, options), **kwargs)
    assert repr(opt) == repr(ref)
    assert opt.defaults == ref.defaults
    train_both(torch, ours, theirs, opt, ref, steps)
    assert_same_parameters(ours, theirs)
    assert_same_state(opt, ref)


@pytest.mark.parametrize("name", ADAM_VARIANTS)
def test_state_dict_round_trip_continues_like_torch(name):
    ours, theirs, opt, ref = optimizer_pair(torch, name, lr=0.01)
    train_both(torch, ours, theirs, opt, ref, 4)
    again = getattr(optim, name)(ours.parameters(), lr=0.01)
    again.load_state_dict(opt.state_dict())
    train_both(torch, ours, theirs, again, ref, 4)
    assert_same_parameters(ours, theirs)


BAD = [(name, kw) for name in ADAM_VARIANTS for kw in (
    {"lr": -1}, {"eps": -1}, {"weight_decay": -1}, {"betas": (0.9, 1.0)}, {"betas": (-0.1, 0.9)})]
BAD += [("NAdam", {"momentum_decay": -1}), ("ASGD", {"lr": -1}), ("ASGD", {"weight_decay": -1}),
        ("Rprop", {"lr": -1}), ("Rprop", {"etas": (1.5, 1.2)}), ("Rprop", {"etas": (0.5, 0.9)})]


@pytest.mark.parametrize("name,kwargs", BAD, ids=[config_id(c) for c in BAD])
def test_bad_arguments_raise_torchs_errors(name, kwargs):
    assert_refused_as_torch(torch, name, kwargs)
