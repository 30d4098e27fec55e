"""Optimizer state dicts as PyTorch's: the same layout and key names, key by key; a round trip
mid-training (also through a file) continues exactly as uninterrupted training; state dicts
move both ways between eager and torch; bad ones are refused with torch's errors."""

import copy

import numpy as np
import pytest
from optim_pairs import (
    assert_same_parameters,
    eager_model,
    groups,
    optimizer_pair,
    pair,
    to_eager,
    to_torch,
    train_both,
    train_eager,
    train_torch,
)

import eager
import eager.optim as optim

torch = pytest.importorskip("torch")

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=1.0, weight_decay=0.01)),
]
IDS = [f"{name}-{'-'.join(kw)}" for name, kw in CONFIGS]
OPTIONS = [{"lr": 0.03}, {"weight_decay": 0.1}]


def _make(lib, name, model, kwargs):
    return getattr(lib, name)(groups(model, OPTIONS), **kwargs)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_state_dict_matches_torchs_key_by_key(name, kwargs):
    ours, theirs = pair(torch)
    opt, ref = _make(optim, name, ours, kwargs), _make(torch.optim, name, theirs, kwargs)
    for steps in (0, 5):  # before any step (Adagrad has state already) and after five
        train_eager(ours, opt, steps)
        train_torch(torch, theirs, ref, steps)
        sd, ref_sd = opt.state_dict(), ref.state_dict()
        assert list(sd) == ["state", "param_groups"]
        assert sd["param_groups"] == ref_sd["param_groups"]  # options, order, "params" indices
        assert [list(g) for g in sd["param_groups"]] == [list(g) for g in ref_sd["param_groups"]]
        assert list(sd["state"]) == list(ref_sd["state"])
        for index, entries in ref_sd["state"].items():
            assert list(sd["state"][index]) == list(entries)  # names, in torch's order
            for key, value in entries.items():
                mine = sd["state"][index][key]
                assert isinstance(mine, eager.Tensor), key
                assert mine.shape == tuple(value.shape) and str(mine.dtype) == \
                    str(value.dtype), key
                np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=1e-5, atol=1e-6,
                                           err_msg=key)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_round_trip_mid_training_continues_exactly(name, kwargs, tmp_path):
    ours, theirs = pair(torch)
    opt, ref = _make(optim, name, ours, kwargs), _make(torch.optim, name, theirs, kwargs)
    train_eager(ours, opt, 5)
    train_torch(torch, theirs, ref, 5)
    # Resume twice: from the state dict in memory and from a file written by eager.save.
    eager.save(opt.state_dict(), tmp_path / "opt.npz")
    resumed = []
    # (a deep copy: as torch's, a state dict holds the optimizer's own live Tensors)
    for saved in (copy.deepcopy(opt.state_dict()), eager.load(tmp_path / "opt.npz")):
        twin = eager_model()
        twin.load_state_dict(ours.state_dict())
        twin_opt = _make(optim, name, twin, {"lr": 123.0})
        twin_opt.load_state_dict(saved)
        assert twin_opt.param_groups[1]["lr"] == opt.param_groups[1]["lr"]
        resumed.append((twin, twin_opt))
    train_eager(ours, opt, 5)
    train_torch(torch, theirs, ref, 5)
    for twin, twin_opt in resumed:
        train_eager(twin, twin_opt, 5)
        for p, q in zip(ours.parameters(), twin.parameters(), strict=True):
            np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert_same_parameters(ours, theirs)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_state_dicts_move_between_eager_and_torch(name, kwargs):
    ours, theirs = pair(torch)
    opt, ref = _make(optim, name, ours, kwargs), _make(torch.optim, name, theirs, kwargs)
    train_eager(ours, opt, 5)
    train_torch(torch, theirs, ref, 5)
    # Each side continues from the other's state (and its own weights, which agree).
    opt.load_state_dict(to_eager(torch, ref.state_dict()))
    ref.load_state_dict(to_torch(torch, copy.deepcopy(_make(
        optim, name, eager_model(), kwargs).state_dict())))  # (a fresh one loads too)
    ref.load_state_dict(to_torch(torch, opt.state_dict()))
    train_eager(ours, opt, 5)
    train_torch(torch, theirs, ref, 5)
    assert_same_parameters(ours, theirs)


def test_a_state_dict_holds_the_live_state_as_torch():
    # torch's state_dict() hands out the optimizer's own state dicts and Tensors, which later
    # steps update in place: a snapshot needs a deepcopy, in both.
    ours, theirs, opt, ref = optimizer_pair(torch, "Adam", lr=0.01)
    train_both(torch, ours, theirs, opt, ref, 1)
    sds = [opt.state_dict(), ref.state_dict()]
    snaps = [sd["state"][0]["exp_avg"].numpy().copy() for sd in sds]
    train_both(torch, ours, theirs, opt, ref, 1)
    params = (next(ours.parameters()), next(theirs.parameters()))
    for sd, snap, o, p in zip(sds, snaps, (opt, ref), params, strict=True):
        assert sd["state"][0] is o.state[p]
        assert not np.array_equal(sd["state"][0]["exp_avg"].numpy(), snap)
        assert float(sd["state"][0]["step"].item()) == 2.0


def test_loading_replaces_the_groups_options_as_torch():
    ours, theirs = pair(torch)
    opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    ref = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    optim.lr_scheduler.StepLR(opt, 2)
    torch.optim.lr_scheduler.StepLR(ref, 2)
    saved = optim.SGD(eager_model().parameters(), lr=0.5).state_dict()  # no initial_lr
    opt.load_state_dict(saved)
    ref.load_state_dict(to_torch(torch, saved))
    assert repr(opt) == repr(ref)
    assert saved["param_groups"][0]["lr"] == 0.5  # the argument is not changed


BAD = {
    "group count": lambda sd: {**sd, "param_groups": sd["param_groups"] * 2},
    "group size": lambda sd: {**sd, "param_groups": [{**sd["param_groups"][0], "params": [0]}]},
}


@pytest.mark.parametrize("case", list(BAD))
def test_mismatched_state_dicts_raise_torchs_errors(case):
    ours, theirs = pair(torch)
    opt, ref = optim.Adam(ours.parameters()), torch.optim.Adam(theirs.parameters())
    with pytest.raises(ValueError) as mine:
        opt.load_state_dict(BAD[case](opt.state_dict()))
    with pytest.raises(ValueError) as reference:
        ref.load_state_dict(BAD[case](ref.state_dict()))
    assert str(mine.value) == str(reference.value)


def test_state_of_the_wrong_shape_is_refused_at_load():
    ours, _ = pair(torch)
    opt = optim.Adam(ours.parameters())
    train_eager(ours, opt, 1)
    sd = opt.state_dict()
    sd["state"][0]["exp_avg"] = eager.zeros(7)
    with pytest.raises(ValueError, match=r"state 'exp_avg' of shape \(7,\) for parameter 0"):
        optim.Adam(eager_model().parameters()).load_state_dict(sd)


def test_a_custom_optimizer_keeps_tensor_state_as_torch():
    class Counting(optim.Optimizer):  # written as for torch: Tensors in self.state
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    state = self.state[p]  # a defaultdict, as torch's
                    state["step"] = state.get("step", 0) + 1
                    state["trace"] = p.detach().clone()
            return None

    ours, _ = pair(torch)
    opt = Counting(ours.parameters())
    opt.step()
    sd = opt.state_dict()
    assert sd["state"][0]["step"] == 1 and isinstance(sd["state"][0]["trace"], eager.Tensor)
    other = Counting(eager_model().parameters())
    other.load_state_dict(sd)
    state = other.state[other.param_groups[0]["params"][0]]
    assert state["step"] == 1 and isinstance(state["trace"], eager.Tensor)


def test_deepcopy_and_pickle_as_torch():
    import pickle

    ours, _ = pair(torch)
    opt = optim.Adam(ours.parameters(), lr=0.01)
    optim.lr_scheduler.ExponentialLR(opt, 0.9)  # wraps opt.step: must not be copied
    train_eager(ours, opt, 2)
    for clone in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        assert "step" not in vars(clone) and repr(clone) == repr(opt)
        assert clone.state_dict()["state"].keys() == opt.state_dict()["state"].keys()
