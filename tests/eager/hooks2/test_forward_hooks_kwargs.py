"""Module forward hooks with ``with_kwargs``, ``always_call`` and ``prepend``, the global
forward hooks, and the handles that remove them: each scenario runs under torch and eager and
must log the same calls and give the same results and errors."""

from __future__ import annotations

import inspect
import warnings

import pytest
from hooks2_oracle import LIBS, torch
from hooks2_oracle import same as _same

import eager


class _Block:
    """``Block(lib)``: a module whose forward takes a keyword argument ``scale``."""

    def __new__(cls, lib):
        class Block(lib.nn.Module):
            def forward(self, x, scale=1.0):
                return x * scale
        return Block()


def test_with_kwargs_pre_hooks_see_and_rewrite_args_and_kwargs_in_prepend_order():
    def scenario(lib):
        log, block = [], _Block(lib)

        def plain(name):
            def hook(module, args):
                log.append((name, args[0].tolist()))
            return hook

        def double_scale(module, args, kwargs):
            log.append(("kw", args[0].tolist(), dict(kwargs)))
            return (args[0] + 1,), {"scale": kwargs.get("scale", 1.0) * 2}

        block.register_forward_pre_hook(plain("first"))
        block.register_forward_pre_hook(double_scale, with_kwargs=True)
        block.register_forward_pre_hook(plain("front"), prepend=True)
        block.register_forward_pre_hook(plain("last"))
        out = block(lib.tensor([1.0, 2.0]), scale=3.0)
        return log, out.tolist()

    log, out = _same(scenario)
    assert [entry[0] for entry in log] == ["front", "first", "kw", "last"]
    assert out == [12.0, 18.0]


def test_with_kwargs_forward_hooks_get_kwargs_and_replace_the_output():
    def scenario(lib):
        log, block = [], _Block(lib)
        block.register_forward_hook(lambda m, a, out: log.append(("plain", out.tolist())))
        block.register_forward_hook(
            lambda m, a, kw, out: (log.append(("kw", dict(kw), out.tolist())), out * 10)[1],
            with_kwargs=True)
        block.register_forward_hook(lambda m, a, kw, out: log.append(("front", dict(kw))),
                                    prepend=True, with_kwargs=True)
        return log, block(lib.tensor([1.0]), scale=2.0).tolist()

    assert _same(scenario) == ([("front", {"scale": 2.0}), ("plain", [2.0]),
                                ("kw", {"scale": 2.0}, [2.0])], [20.0])


def test_a_pre_hook_with_kwargs_must_return_an_args_kwargs_pair():
    texts = []
    for lib in LIBS:
        block = _Block(lib)
        block.register_forward_pre_hook(lambda m, a, kw: a, with_kwargs=True)
        with pytest.raises(RuntimeError) as info:
            block(lib.tensor([1.0]))
        texts.append(str(info.value))
    assert texts[0].startswith("forward pre-hook must return None or a tuple of (new_args, "
                               "new_kwargs), but got (tensor([1.]),).")
    assert texts[1] == texts[0]


def test_always_call_hooks_run_when_forward_raises_and_the_error_propagates():
    def scenario(lib):
        log = []

        class Broken(lib.nn.Module):
            def forward(self, x, flag=None):
                raise ValueError("forward failed")

        m = Broken()
        m.register_forward_pre_hook(lambda mod, a: (a[0] * 2,))
        m.register_forward_hook(lambda mod, a, out: log.append("not always"))
        m.register_forward_hook(lambda mod, a, kw, out: log.append(
            ("kw", a[0].tolist(), dict(kw), out)), with_kwargs=True, always_call=True)
        m.register_forward_hook(lambda mod, a, out: log.append(("always", out)),
                                always_call=True)
        with pytest.raises(ValueError, match="forward failed"):
            m(lib.tensor([1.0]), flag=True)
        return log

    assert _same(scenario) == [("kw", [2.0], {"flag": True}, None), ("always", None)]


def test_an_always_call_hook_that_ran_is_not_run_again_and_its_own_error_is_a_warning():
    def scenario(lib):
        log = []
        lin = lib.nn.Linear(1, 1)

        def fails(m, a, out):
            raise KeyError("late hook")

        def also_fails(m, a, out):
            raise OSError("silenced")
        lin.register_forward_hook(lambda m, a, out: log.append("early"), always_call=True)
        lin.register_forward_hook(fails)
        lin.register_forward_hook(also_fails, always_call=True)
        lin.register_forward_hook(lambda m, a, out: log.append(("late", out.shape[0])),
                                  always_call=True)
        with warnings.catch_warnings(record=True) as caught, pytest.raises(KeyError):
            warnings.simplefilter("always")
            lin(lib.ones(1))
        return log, [str(w.message) for w in caught]

    log, messages = _same(scenario)
    assert log == ["early", ("late", 1)]
    assert messages == ["module forward hook with ``always_call=True`` raised an exception "
                        "that was silenced as another error was raised in forward: silenced"]


def test_global_forward_hooks_run_before_each_modules_own_and_are_removable():
    def scenario(lib):
        log = []
        glob = lib.nn.modules.module
        seq = lib.nn.Sequential(lib.nn.Identity(), lib.nn.ReLU())
        seq[1].register_forward_pre_hook(lambda m, a: log.append("own pre"))
        seq[1].register_forward_hook(lambda m, a, out: log.append("own"))
        handles = [
            glob.register_module_forward_pre_hook(
                lambda m, a: log.append(("global pre", type(m).__name__))),
            glob.register_module_forward_hook(
                lambda m, a, kw, out: log.append(("global", type(m).__name__, dict(kw))),
                with_kwargs=True),
        ]
        try:
            seq(lib.tensor([-1.0, 1.0]))
        finally:
            for h in handles:
                h.remove()
                # torch 2.13's handle leaves its with_kwargs flag behind, and any entry
                # there makes every later torch.compile(module) warn: clear it.
                getattr(glob, "_global_forward_hooks_with_kwargs", {}).pop(h.id, None)
        seq(lib.tensor([1.0]))  # the global hooks are gone
        return log

    assert _same(scenario) == [
        ("global pre", "Sequential"), ("global pre", "Identity"), ("global", "Identity", {}),
        ("global pre", "ReLU"), "own pre", ("global", "ReLU", {}), "own",
        ("global", "Sequential", {}), "own pre", "own"]


def test_removing_a_handle_clears_the_flag_tables_too():
    def scenario(lib):
        lin = lib.nn.Linear(1, 1)
        pre = lin.register_forward_pre_hook(lambda m, a, kw: None, with_kwargs=True)
        post = lin.register_forward_hook(lambda m, a, kw, o: None, with_kwargs=True,
                                         always_call=True)
        sizes = [len(lin._forward_pre_hooks_with_kwargs), len(lin._forward_hooks_with_kwargs),
                 len(lin._forward_hooks_always_called)]
        pre.remove()
        with post:
            pass
        return sizes, [len(getattr(lin, name)) for name in (
            "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_forward_hooks",
            "_forward_hooks_with_kwargs", "_forward_hooks_always_called")]

    assert _same(scenario) == ([1, 1, 1], [0, 0, 0, 0, 0])


def test_backward_pre_hooks_honour_prepend_as_torch():
    def scenario(lib):
        log = []
        lib.manual_seed(0)
        lin = lib.nn.Linear(2, 1)
        lin.register_full_backward_pre_hook(lambda m, g: log.append("a"))
        lin.register_full_backward_pre_hook(lambda m, g: (log.append("b"), (g[0] * 2,))[1],
                                            prepend=True)
        lin.register_full_backward_pre_hook(lambda m, g: log.append(g[0].tolist()), True)
        x = lib.ones(1, 2, requires_grad=True)
        lin(x).sum().backward()
        return log, [round(v, 5) for v in x.grad.flatten().tolist()], \
            [round(v, 5) for v in lin.weight.flatten().tolist()]

    log, grad, weight = _same(scenario)
    assert log == [[[1.0]], "b", "a"]
    assert grad == pytest.approx([2 * w for w in weight], abs=1e-4)


@pytest.mark.parametrize("name", ["register_forward_pre_hook", "register_forward_hook",
                                  "register_full_backward_pre_hook",
                                  "register_full_backward_hook", "register_state_dict_pre_hook",
                                  "register_state_dict_post_hook",
                                  "register_load_state_dict_pre_hook",
                                  "register_load_state_dict_post_hook",
                                  "_register_state_dict_hook",
                                  "_register_load_state_dict_pre_hook"])
def test_hook_registration_signatures_match_torch(name):
    def shape(lib):
        sig = inspect.signature(getattr(lib.nn.Module, name))
        return [(p.name, p.kind, p.default) for p in sig.parameters.values()]
    assert shape(eager) == shape(torch)


def test_global_hook_registration_signatures_match_torch():
    for name in ("register_module_forward_pre_hook", "register_module_forward_hook"):
        sigs = [[(p.name, p.kind, p.default) for p in inspect.signature(
            getattr(lib.nn.modules.module, name)).parameters.values()] for lib in LIBS]
        assert sigs[1] == sigs[0]


def test_global_backward_hooks_run_before_each_modules_own():
    def scenario(lib):
        log = []
        glob = lib.nn.modules.module
        lib.manual_seed(0)
        lin = lib.nn.Linear(2, 1)
        lin.register_full_backward_pre_hook(lambda m, g: log.append("own pre"))
        lin.register_full_backward_hook(lambda m, gi, go: log.append("own"))
        handles = [
            glob.register_module_full_backward_pre_hook(
                lambda m, g: log.append(("global pre", type(m).__name__))),
            glob.register_module_full_backward_hook(
                lambda m, gi, go: (log.append(("global", [round(v, 4) for v in
                                                          gi[0].flatten().tolist()])),
                                   (gi[0] * 0,))[1]),
        ]
        x = lib.ones(1, 2, requires_grad=True)
        try:
            lin(x).sum().backward()
        finally:
            for h in handles:
                h.remove()
        lin(x).sum().backward()  # the global hooks are gone
        with pytest.raises(RuntimeError) as info:
            glob.register_module_backward_hook(lambda *a: None)
        return log, x.grad.tolist() == lin.weight.tolist(), str(info.value)

    log, grad_from_second_pass_only, error = _same(scenario)
    assert log[:2] == [("global pre", "Linear"), "own pre"] and log[3:] == ["own", "own pre",
                                                                           "own"]
    assert grad_from_second_pass_only and error.startswith("Cannot use both regular backward")


def test_global_registration_hooks_see_and_may_replace_what_is_registered():
    def scenario(lib):
        log = []
        glob = lib.nn.modules.module

        def on_param(module, name, param):
            log.append(("param", type(module).__name__, name, tuple(param.shape)))
            return lib.nn.Parameter(param.detach() * 0 + 1) if name == "scale" else None

        handles = [glob.register_module_parameter_registration_hook(on_param),
                   glob.register_module_buffer_registration_hook(
                       lambda m, name, b: log.append(("buffer", name, b is None))),
                   glob.register_module_module_registration_hook(
                       lambda m, name, sub: log.append(("module", name, type(sub).__name__)))]

        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.scale = lib.nn.Parameter(lib.zeros(2))
                self.register_buffer("count", lib.zeros(()))
                self.register_parameter("none", None)
                self.body = lib.nn.Linear(2, 3)
                self.add_module("act", lib.nn.ReLU())
                self.count = None
                self.act = None
        try:
            net = Net()
        finally:
            for h in handles:
                h.remove()
        net.extra = lib.nn.Identity()  # the hooks are gone
        return log, net.scale.tolist()

    log, scale = _same(scenario)
    assert scale == [1.0, 1.0] and ("buffer", "count", True) in log
