"""Helpers for the optimizer tests against PyTorch: one small model built twice from the same
weights (eager and torch), trained on the same data, and state dicts moved between the two."""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim

RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 4)).astype(np.float32)
Y = RNG.standard_normal((8, 3)).astype(np.float32)


def eager_model() -> nn.Module:
    eager.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))


def torch_twin(torch, model: nn.Module):
    """A torch model with ``model``'s weights."""
    twin = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    with torch.no_grad():
        for p, q in zip(model.parameters(), twin.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.detach().numpy().copy()))
    return twin


def pair(torch):
    model = eager_model()
    return model, torch_twin(torch, model)


def train(lib, model, opt, steps: int, sched=None) -> None:
    """``steps`` steps of mean squared error on (X, Y); ``lib`` is eager or torch."""
    x, y = lib.from_numpy(X), lib.from_numpy(Y)
    for _ in range(steps):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        if sched is not None:
            sched.step()


def train_eager(model, opt, steps: int, sched=None) -> None:
    train(eager, model, opt, steps, sched)


def train_torch(torch, model, opt, steps: int, sched=None) -> None:
    train(torch, model, opt, steps, sched)


def optimizer_pair(torch, name: str, params=lambda model: model.parameters(), **kwargs):
    """``(ours, theirs, opt, ref)``: the twin models and optimizer ``name`` of eager and of
    torch over ``params(model)`` with ``kwargs``."""
    ours, theirs = pair(torch)
    opt = getattr(eager.optim, name)(params(ours), **kwargs)
    ref = getattr(torch.optim, name)(params(theirs), **kwargs)
    return ours, theirs, opt, ref


def train_both(torch, ours, theirs, opt, ref, steps: int) -> None:
    """``steps`` steps of each twin with its own optimizer."""
    train(eager, ours, opt, steps)
    train(torch, theirs, ref, steps)


def assert_same_parameters(ours, theirs, atol: float = 1e-6) -> None:
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=0, atol=atol)


def to_torch(torch, value):
    """An eager state dict (nested) with torch Tensors in place of eager's."""
    if isinstance(value, eager.Tensor):
        return torch.from_numpy(np.array(value.numpy()))
    if isinstance(value, dict):
        return {k: to_torch(torch, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(to_torch(torch, v) for v in value)
    return value


def to_eager(torch, value):
    """A torch state dict (nested) with eager Tensors in place of torch's."""
    if isinstance(value, torch.Tensor):
        return eager.from_numpy(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: to_eager(torch, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(to_eager(torch, v) for v in value)
    return value


def groups(model, options: list[dict]) -> list[dict]:
    """Parameter groups: the first Linear's parameters, then the second's, with options."""
    return [{"params": list(model[0].parameters()), **options[0]},
            {"params": list(model[2].parameters()), **options[1]}]


def grid(**options) -> list[dict]:
    """Every combination of the options' values, as keyword dicts."""
    keys = list(options)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*options.values())]


def smaller_ascent_steps(configs: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Gradient ascent (maximize) on this loss is unstable: float32 rounding differences
    double every few steps, in torch as in eager (both drift from a float64 run alike), so
    those configurations take a fifth of the step."""
    return [(name, {**kw, "lr": kw["lr"] / 5} if kw.get("maximize") else kw)
            for name, kw in configs]


def config_id(config: tuple[str, dict]) -> str:
    """A test id: ``Adam-lr=0.01,amsgrad=True``."""
    name, kw = config
    return name + "-" + ",".join(f"{k}={v}" for k, v in kw.items())


def assert_steps_match_torch(torch, name: str, kwargs: dict, steps: int = 10):
    """``steps`` steps of optimizer ``name`` with ``kwargs`` leave eager's and torch's twin
    models with the same parameters; returns the two optimizers."""
    ours, theirs, opt, ref = optimizer_pair(torch, name, **kwargs)
    train_both(torch, ours, theirs, opt, ref, steps)
    assert_same_parameters(ours, theirs)
    return opt, ref


def assert_signature_is_torchs(torch, name: str) -> None:
    """Optimizer ``name``'s constructor takes torch's parameters, kinds and defaults."""
    ours = inspect.signature(getattr(eager.optim, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.optim, name).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


def assert_same_state(opt, ref, dtypes: bool = True) -> None:
    """The two optimizers' per-parameter state: the same indices and keys in the same order,
    the same shapes, values and (with ``dtypes``) dtypes."""
    ours, theirs = opt.state_dict()["state"], ref.state_dict()["state"]
    assert list(ours) == list(theirs)
    for index, entries in theirs.items():
        assert list(ours[index]) == list(entries)
        for key, value in entries.items():
            mine = ours[index][key]
            assert tuple(mine.shape) == tuple(value.shape), key
            assert not dtypes or str(mine.dtype) == str(value.dtype), key
            np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=1e-5, atol=1e-7,
                                       err_msg=key)


def assert_refused_as_torch(torch, name: str, kwargs: dict) -> None:
    """Optimizer ``name`` refuses ``kwargs`` with torch's ValueError and message."""
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(2))], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(eager.optim, name)([eager.nn.Parameter(eager.ones(2))], **kwargs)
    assert str(ours.value) == str(theirs.value)
