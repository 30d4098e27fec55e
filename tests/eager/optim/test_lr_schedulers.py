"""Every scheduler against torch: the learning rates (and cycled momenta) of 30 steps on two
parameter groups, equal to the last bit; state dicts, resuming, chaining, warnings, errors."""

import inspect
import math
import warnings

import pytest
from optim_pairs import eager_model, groups, pair

import eager.optim as optim
from eager.optim import lr_scheduler

torch = pytest.importorskip("torch")

STEPS = 30


def _optimizers(name="SGD", **kwargs):
    ours, theirs = pair(torch)
    options = [{"lr": 0.1}, {"lr": 0.03}]
    kwargs.setdefault("lr", 0.1)
    if name == "SGD":
        kwargs.setdefault("momentum", 0.9)
    return (getattr(optim, name)(groups(ours, options), **kwargs),
            getattr(torch.optim, name)(groups(theirs, options), **kwargs))


def _values(opt):
    return [(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups]


SCHEDULERS = {
    "StepLR": ("SGD", lambda lib, o: lib.StepLR(o, step_size=4, gamma=0.5)),
    "MultiStepLR": ("SGD", lambda lib, o: lib.MultiStepLR(o, [3, 7, 7, 20], gamma=0.3)),
    "ExponentialLR": ("SGD", lambda lib, o: lib.ExponentialLR(o, gamma=0.9)),
    "LambdaLR": ("SGD", lambda lib, o: lib.LambdaLR(o, lambda e: 1 / (1 + e))),
    "LambdaLR-per-group": ("SGD", lambda lib, o: lib.LambdaLR(
        o, [lambda e: 0.95 ** e, lambda e: min(1.0, (e + 1) / 10)])),
    "MultiplicativeLR": ("SGD", lambda lib, o: lib.MultiplicativeLR(o, lambda e: 0.97)),
    "ConstantLR": ("SGD", lambda lib, o: lib.ConstantLR(o, factor=0.5, total_iters=4)),
    "LinearLR": ("SGD", lambda lib, o: lib.LinearLR(o, start_factor=0.1, total_iters=10)),
    "LinearLR-decay": ("SGD", lambda lib, o: lib.LinearLR(o, 1.0, 0.2, total_iters=25)),
    "PolynomialLR": ("SGD", lambda lib, o: lib.PolynomialLR(o, total_iters=20, power=2.0)),
    "CosineAnnealingLR": ("SGD", lambda lib, o: lib.CosineAnnealingLR(o, 10, eta_min=0.001)),
    "CosineAnnealingLR-periodic": ("SGD", lambda lib, o: lib.CosineAnnealingLR(o, T_max=4)),
    "CosineAnnealingWarmRestarts": ("SGD", lambda lib, o: lib.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01)),
    "CyclicLR": ("SGD", lambda lib, o: lib.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=4)),
    "CyclicLR-triangular2-Adam": ("Adam", lambda lib, o: lib.CyclicLR(
        o, 0.001, 0.01, step_size_up=3, step_size_down=5, mode="triangular2")),
    "CyclicLR-exp_range": ("RMSprop", lambda lib, o: lib.CyclicLR(
        o, 0.001, 0.01, step_size_up=5, mode="exp_range", gamma=0.95)),
    "OneCycleLR": ("SGD", lambda lib, o: lib.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1)),
    "OneCycleLR-linear-Adam": ("Adam", lambda lib, o: lib.OneCycleLR(
        o, max_lr=[0.01, 0.02], epochs=4, steps_per_epoch=8, anneal_strategy="linear")),
    "OneCycleLR-three-phase": ("AdamW", lambda lib, o: lib.OneCycleLR(
        o, 0.01, total_steps=40, pct_start=0.25, three_phase=True, div_factor=10.0,
        base_momentum=0.8, max_momentum=[0.9, 0.95])),
    "OneCycleLR-no-momentum": ("Adagrad", lambda lib, o: lib.OneCycleLR(
        o, 0.1, total_steps=STEPS + 1, cycle_momentum=False)),
    "SequentialLR": ("SGD", lambda lib, o: lib.SequentialLR(
        o, [lib.LinearLR(o, 0.1, total_iters=5), lib.CosineAnnealingLR(o, T_max=20)],
        milestones=[5])),
    "SequentialLR-three": ("SGD", lambda lib, o: lib.SequentialLR(
        o, [lib.ConstantLR(o, 0.2, total_iters=3), lib.ExponentialLR(o, 0.8),
            lib.StepLR(o, 2)], milestones=[4, 12])),
    "ChainedScheduler": ("SGD", lambda lib, o: lib.ChainedScheduler(
        [lib.ConstantLR(o, 0.5, total_iters=6), lib.ExponentialLR(o, gamma=0.9)])),
}


def _run(lib, opt, make, steps=STEPS):
    sched = make(lib, opt)
    seen = []
    for _ in range(steps):
        seen.append((sched.get_last_lr(), _values(opt)))
        opt.step()
        sched.step()
    return sched, seen


@pytest.mark.parametrize("case", list(SCHEDULERS))
def test_learning_rates_equal_torchs(case):
    name, make = SCHEDULERS[case]
    ours, theirs = _optimizers(name)
    s_ours, seen = _run(lr_scheduler, ours, make)
    s_theirs, expected = _run(torch.optim.lr_scheduler, theirs, make)
    assert seen == expected
    assert getattr(s_ours, "last_epoch", None) == getattr(s_theirs, "last_epoch", None)
    assert repr(ours) == repr(theirs)  # initial_lr, max_lr, momenta... in the groups


def test_two_schedulers_on_one_optimizer_compose_as_in_torch():
    def make(lib, o):
        class Both:
            def __init__(self):
                self.a = lib.LinearLR(o, 0.25, total_iters=6)
                self.b = lib.StepLR(o, 5, gamma=0.5)

            def step(self):
                self.a.step()
                self.b.step()

            def get_last_lr(self):
                return self.b.get_last_lr()

        return Both()

    ours, theirs = _optimizers()
    assert _run(lr_scheduler, ours, make)[1] == _run(torch.optim.lr_scheduler, theirs, make)[1]


PLATEAU = {
    "min-rel": dict(patience=2),
    "min-abs-cooldown": dict(threshold_mode="abs", threshold=0.05, cooldown=2, patience=1),
    "max-rel": dict(mode="max", patience=1, factor=0.5, min_lr=[0.01, 0.02]),
    "max-abs": dict(mode="max", threshold_mode="abs", threshold=0.1, patience=0, min_lr=0.005),
    "eps": dict(patience=0, factor=0.9, eps=0.01),
}
METRICS = [1.0, 0.9, 0.9, 0.95, 0.89, 0.8999, 0.9, 0.7, 0.7, 0.7, 0.71, 0.69, 0.5, 0.5, 0.52,
           0.6, 0.6, 0.4, 0.41, 0.40, 0.39, 0.45, 0.45, 0.45, 0.3, 0.3, 0.31, 0.29, 0.29, 0.2]


@pytest.mark.parametrize("case", list(PLATEAU))
def test_reduce_lr_on_plateau_follows_torch(case):
    ours, theirs = _optimizers()
    s_ours = lr_scheduler.ReduceLROnPlateau(ours, **PLATEAU[case])
    s_theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, **PLATEAU[case])
    for metric in METRICS:
        value = metric if PLATEAU[case].get("mode") != "max" else 1 - metric
        s_ours.step(value)
        s_theirs.step(value)
        assert s_ours.get_last_lr() == s_theirs.get_last_lr()
        for key in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
            assert getattr(s_ours, key) == getattr(s_theirs, key), key
    assert s_ours.state_dict().keys() == s_theirs.state_dict().keys()


@pytest.mark.parametrize("case", ["StepLR", "LambdaLR", "CosineAnnealingLR", "OneCycleLR",
                                  "CyclicLR", "SequentialLR", "ChainedScheduler",
                                  "CosineAnnealingWarmRestarts", "MultiStepLR"])
def test_state_dict_keys_equal_torchs_and_resuming_continues_the_schedule(case):
    name, make = SCHEDULERS[case]
    ours, theirs = _optimizers(name)
    s_ours, s_theirs = make(lr_scheduler, ours), make(torch.optim.lr_scheduler, theirs)
    for _ in range(10):
        ours.step()
        theirs.step()
        s_ours.step()
        s_theirs.step()
    saved, saved_opt = s_ours.state_dict(), ours.state_dict()
    assert saved.keys() == s_theirs.state_dict().keys()
    # Resume: a new optimizer and scheduler (built as at the start), then both state dicts.
    resumed_opt = _optimizers(name)[0]
    resumed = make(lr_scheduler, resumed_opt)
    resumed_opt.load_state_dict(saved_opt)
    resumed.load_state_dict(saved)
    for _ in range(10):
        for opt, sched in ((ours, s_ours), (resumed_opt, resumed)):
            opt.step()
            sched.step()
        assert resumed.get_last_lr() == s_ours.get_last_lr()
        assert _values(resumed_opt) == _values(ours)


def test_resuming_with_last_epoch_needs_initial_lr_as_in_torch():
    ours, theirs = _optimizers()
    with pytest.raises(KeyError) as mine:
        lr_scheduler.StepLR(ours, 3, last_epoch=5)
    with pytest.raises(KeyError) as reference:
        torch.optim.lr_scheduler.StepLR(theirs, 3, last_epoch=5)
    assert str(mine.value) == str(reference.value)
    lr_scheduler.StepLR(ours, 3)
    torch.optim.lr_scheduler.StepLR(theirs, 3)
    s_ours = lr_scheduler.StepLR(ours, 3, gamma=0.5, last_epoch=5)
    s_theirs = torch.optim.lr_scheduler.StepLR(theirs, 3, gamma=0.5, last_epoch=5)
    assert s_ours.get_last_lr() == s_theirs.get_last_lr() and s_ours.last_epoch == 6


def _replace_step(sched):
    sched.optimizer.step = lambda: None
    return sched


def _step_past_the_end(sched):
    for _ in range(3):
        sched.optimizer.step()
        sched.step()


def _warnings(lib, opt, action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action(lib, opt)
    return [(w.category, str(w.message)) for w in caught]


WARNING_CASES = {
    "scheduler before optimizer": lambda lib, o: lib.StepLR(o, 2).step(),
    "optimizer first": lambda lib, o: (o.step(), lib.StepLR(o, 2).step()),
    "get_lr outside step": lambda lib, o: lib.ExponentialLR(o, 0.5).get_lr(),
    "step(epoch)": lambda lib, o: (o.step(), lib.StepLR(o, 2).step(4)),
    "plateau step(metric, epoch)": lambda lib, o: lib.ReduceLROnPlateau(o).step(1.0, 3),
    "optimizer.step replaced": lambda lib, o: _replace_step(lib.StepLR(o, 2)).step(),
}


@pytest.mark.parametrize("case", list(WARNING_CASES))
def test_warnings_are_torchs(case):
    ours, theirs = _optimizers()
    mine = _warnings(lr_scheduler, ours, WARNING_CASES[case])
    assert mine == _warnings(torch.optim.lr_scheduler, theirs, WARNING_CASES[case])
    assert mine or case == "optimizer first"


def test_closed_forms_of_step_with_epoch_are_torchs():
    for name in ("StepLR", "MultiStepLR", "ExponentialLR", "LinearLR", "CosineAnnealingLR",
                 "ConstantLR", "PolynomialLR", "CosineAnnealingWarmRestarts"):
        _, make = SCHEDULERS[name]
        ours, theirs = _optimizers()
        s_ours, s_theirs = make(lr_scheduler, ours), make(torch.optim.lr_scheduler, theirs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in (3, 7, 2, 15, 9.5 if "Restarts" in name else 9):
                s_ours.step(epoch)
                s_theirs.step(epoch)
                assert s_ours.get_last_lr() == s_theirs.get_last_lr(), (name, epoch)


BAD = {
    "OneCycleLR no steps": lambda lib, o: lib.OneCycleLR(o, 0.1),
    "OneCycleLR total_steps": lambda lib, o: lib.OneCycleLR(o, 0.1, total_steps=0),
    "OneCycleLR pct_start": lambda lib, o: lib.OneCycleLR(o, 0.1, 10, pct_start=1),
    "OneCycleLR anneal": lambda lib, o: lib.OneCycleLR(o, 0.1, 10, anneal_strategy="exp"),
    "OneCycleLR max_lr list": lambda lib, o: lib.OneCycleLR(o, [0.1], 10),
    "OneCycleLR past the end": lambda lib, o: _step_past_the_end(lib.OneCycleLR(o, 0.1, 2)),
    "LinearLR start": lambda lib, o: lib.LinearLR(o, start_factor=0),
    "LinearLR end": lambda lib, o: lib.LinearLR(o, end_factor=2),
    "ConstantLR": lambda lib, o: lib.ConstantLR(o, factor=2),
    "LambdaLR count": lambda lib, o: lib.LambdaLR(o, [lambda e: 1.0]),
    "MultiplicativeLR callable": lambda lib, o: lib.MultiplicativeLR(o, 0.9),
    "plateau factor": lambda lib, o: lib.ReduceLROnPlateau(o, factor=1.0),
    "plateau mode": lambda lib, o: lib.ReduceLROnPlateau(o, mode="up"),
    "plateau threshold_mode": lambda lib, o: lib.ReduceLROnPlateau(o, threshold_mode="x"),
    "plateau min_lr": lambda lib, o: lib.ReduceLROnPlateau(o, min_lr=[0.1]),
    "sequential milestones": lambda lib, o: lib.SequentialLR(o, [lib.StepLR(o, 2)], [3]),
    "sequential empty": lambda lib, o: lib.SequentialLR(o, [], []),
    "sequential plateau": lambda lib, o: lib.SequentialLR(
        o, [lib.StepLR(o, 2), lib.ReduceLROnPlateau(o)], [3]),
    "chained empty": lambda lib, o: lib.ChainedScheduler([]),
    "warm restarts T_0": lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=0),
    "warm restarts T_mult": lambda lib, o: lib.CosineAnnealingWarmRestarts(o, 2, T_mult=0),
    "cyclic mode": lambda lib, o: lib.CyclicLR(o, 0.1, 1.0, mode="x"),
    "not an optimizer": lambda lib, o: lib.StepLR(object(), 2),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_arguments_raise_torchs_errors(case):
    ours, theirs = _optimizers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as mine:
            BAD[case](lr_scheduler, ours)
        with pytest.raises(Exception) as reference:
            BAD[case](torch.optim.lr_scheduler, theirs)
    assert type(mine.value) is type(reference.value)
    assert str(mine.value) == str(reference.value)


def test_cycling_momentum_needs_a_momentum_option_as_in_torch():
    ours = optim.Adagrad(eager_model().parameters())
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        lr_scheduler.OneCycleLR(ours, 0.1, total_steps=10)


@pytest.mark.parametrize("name", lr_scheduler.__all__[:-1])
def test_signatures_are_torchs(name):
    ours = inspect.signature(getattr(lr_scheduler, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.optim.lr_scheduler, name).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


def test_cosine_annealing_reaches_eta_min():
    ours, _ = _optimizers()
    sched = lr_scheduler.CosineAnnealingLR(ours, T_max=8, eta_min=0.001)
    for _ in range(8):
        ours.step()
        sched.step()
    assert sched.get_last_lr()[0] == pytest.approx(0.001, abs=1e-12)
    assert math.isclose(ours.param_groups[0]["initial_lr"], 0.1)
