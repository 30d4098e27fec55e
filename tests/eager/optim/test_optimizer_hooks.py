"""Optimizer hooks against torch: step pre/post hooks (per optimizer and global, their order,
the arguments they see, a pre-hook replacing the arguments, removal), state-dict and
load-state-dict hooks, and a subclass with its own step (LBFGS)."""

import pytest

import eager
import eager.optim.optimizer as eager_optimizer

torch = pytest.importorskip("torch")
import torch.optim.optimizer as torch_optimizer  # noqa: E402


def record(lib, module, make):
    """The calls a set of hooks sees, as (name, number of args, first arg is the optimizer)."""
    log = []
    param = lib.nn.Parameter(lib.ones(2))
    opt = make(lib, param)

    def note(name):
        def hook(o, args, kwargs):
            log.append((name, len(args), args[0] is o, sorted(kwargs)))
        return hook

    handles = [module.register_optimizer_step_pre_hook(note("global pre")),
               opt.register_step_pre_hook(note("pre")), opt.register_step_post_hook(note("post")),
               module.register_optimizer_step_post_hook(note("global post"))]
    try:
        def closure():
            opt.zero_grad()
            loss = (param * param).sum()
            loss.backward()
            return loss
        param.grad = lib.ones(2)
        opt.step(closure)
        handles[1].remove()
        opt.step(closure=closure)
    finally:
        for handle in handles:
            handle.remove()
    opt.step(closure)  # no hooks left
    return log


@pytest.mark.parametrize("make", [lambda lib, p: lib.optim.SGD([p], lr=0.1),
                                  lambda lib, p: lib.optim.LBFGS([p], max_iter=2)],
                         ids=["SGD", "LBFGS"])
def test_step_hooks_run_as_torchs(make):
    assert record(eager, eager_optimizer, make) == record(torch, torch_optimizer, make)


def test_a_pre_hook_may_replace_the_arguments_or_is_refused_as_in_torch():
    for lib in (torch, eager):
        param = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.SGD([param], lr=0.5)
        param.grad = lib.ones(2)
        calls = []

        def closure(calls=calls):
            calls.append(1)
            return 0.0

        opt.register_step_pre_hook(lambda o, args, kwargs: ((args[0],), {"closure": closure}))
        assert opt.step() == 0.0 and calls == [1]
        opt.register_step_pre_hook(lambda o, args, kwargs: 5)
        with pytest.raises(RuntimeError, match="must return None or a tuple of "
                                               r"\(new_args, new_kwargs\), but got 5"):
            opt.step()


def state_dict_hook_calls(lib):
    log = []
    opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=0.1)
    opt.register_state_dict_pre_hook(lambda o: log.append("pre"))
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    opt.register_state_dict_post_hook(lambda o, sd: log.append(sorted(sd)))
    opt.register_load_state_dict_pre_hook(
        lambda o, sd: {k: v for k, v in sd.items() if k != "extra"})
    opt.register_load_state_dict_post_hook(lambda o: log.append("loaded"))
    state = opt.state_dict()
    opt.load_state_dict(state)
    return log, sorted(state)


def test_state_dict_hooks_as_torchs():
    assert state_dict_hook_calls(eager) == state_dict_hook_calls(torch)
