"""State-dict hooks (``register_state_dict_pre_hook`` / ``_post_hook``, the private
``_register_state_dict_hook``), load hooks (``register_load_state_dict_pre_hook`` /
``_post_hook``, ``_register_load_state_dict_pre_hook(with_module=...)``), the per-module walk
(order of calls, ``_metadata``, extra state, key order) and their errors, against torch."""

from __future__ import annotations

import warnings

from hooks2_oracle import same as _same
from hooks2_oracle import same_error as _same_error


def _net(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(2, 3),
                             lib.nn.Sequential(lib.nn.ReLU(), lib.nn.BatchNorm1d(3)))


def test_state_dict_hooks_run_per_module_in_torchs_order():
    def scenario(lib):
        log, net = [], _net(lib)
        for name, m in net.named_modules():
            m.register_state_dict_pre_hook(
                lambda mod, prefix, keep, name=name: log.append(("pre", name, prefix, keep)))
            m.register_state_dict_post_hook(
                lambda mod, sd, prefix, meta, name=name: log.append(
                    ("post", name, prefix, len(sd), dict(meta))))
        sd = net.state_dict(prefix="net.", keep_vars=True)
        return log, list(sd), dict(sd._metadata)

    log, keys, metadata = _same(scenario)
    assert log[0] == ("pre", "", "net.", True) and log[-1][:3] == ("post", "", "net.")
    assert keys[0] == "net.0.weight"


def test_a_post_hook_edits_in_place_and_may_not_return_a_new_dict():
    def scenario(lib):
        lin = lib.nn.Linear(2, 1)
        lin.register_state_dict_post_hook(lambda m, sd, p, meta: sd.pop(p + "bias") and None)
        return list(lin.state_dict())

    assert _same(scenario) == ["weight"]

    def returns_dict(lib):
        lin = lib.nn.Linear(1, 1)
        lin.register_state_dict_post_hook(lambda m, sd, p, meta: {})
        lin.state_dict()
    assert _same_error(RuntimeError, returns_dict) == "state_dict post-hook must return None"


def test_the_private_state_dict_hook_replaces_the_dict_only_at_the_root():
    def scenario(lib):
        net = _net(lib)
        net[0]._register_state_dict_hook(lambda m, sd, p, meta: {"child": 1})
        inner = list(net.state_dict())
        net._register_state_dict_hook(lambda m, sd, p, meta: {"root": len(sd)})
        return inner, net.state_dict()

    inner, outer = _same(scenario)
    assert "0.weight" in inner and outer == {"root": 7}


def test_one_function_cannot_be_both_public_and_private_post_hook():
    def scenario(lib):
        def hook(m, sd, p, meta):
            return None
        lin = lib.nn.Linear(1, 1)
        lin.register_state_dict_post_hook(hook)
        lin._register_state_dict_hook(hook)
    assert "previously registered via register_state_dict_post_hook" in \
        _same_error(RuntimeError, scenario)


def test_positional_state_dict_arguments_warn_as_torch():
    def scenario(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sd = lib.nn.Linear(1, 1).state_dict(None, "p.")
        return list(sd), [(w.category.__name__, str(w.message)[:40]) for w in caught]
    assert _same(scenario)[1] == [("FutureWarning", "Positional args are being deprecated, us")]


def test_a_load_pre_hook_renames_old_keys_under_its_prefix():
    def scenario(lib):
        log, net = [], _net(lib)
        source = {k.replace("weight", "w"): v + 1 for k, v in net.state_dict().items()}

        def rename(module, sd, prefix, meta, strict, missing, unexpected, errors):
            log.append((type(module).__name__, prefix, sorted(sd), dict(meta), strict))
            for key in [k for k in sd if k.startswith(prefix) and k.endswith(".w")
                        or k == prefix + "w"]:
                sd[key[:-1] + "weight"] = sd.pop(key)
        for m in net.modules():
            m.register_load_state_dict_pre_hook(rename)
        result = net.load_state_dict(source)
        return log, repr(result), net[0].weight.tolist() == (source["0.w"]).tolist()

    log, result, loaded = _same(scenario)
    assert result == "<All keys matched successfully>" and loaded
    assert [entry[:2] for entry in log] == [("Sequential", ""), ("Linear", "0."),
                                            ("Sequential", "1."), ("ReLU", "1.0."),
                                            ("BatchNorm1d", "1.1.")]


def test_private_load_pre_hook_takes_the_module_only_with_module():
    def scenario(lib):
        log, lin = [], lib.nn.Linear(1, 1)
        lin._register_load_state_dict_pre_hook(lambda *a: log.append(len(a)))
        lin._register_load_state_dict_pre_hook(
            lambda m, *a: log.append(type(m).__name__), with_module=True)
        lin.load_state_dict(lin.state_dict())
        return log
    assert _same(scenario) == [7, "Linear"]


def test_load_post_hooks_see_and_edit_the_key_lists_that_strict_checks():
    def scenario(lib):
        log, net = [], _net(lib)
        sd = net.state_dict()
        del sd["1.1.running_var"]
        sd["extra"] = lib.zeros(1)

        def forgive(module, keys):
            log.append((type(module).__name__, list(keys.missing_keys),
                        list(keys.unexpected_keys)))
            keys.missing_keys.clear()
            keys.unexpected_keys.clear()
        net[1].register_load_state_dict_post_hook(lambda m, k: log.append("child first"))
        net.register_load_state_dict_post_hook(forgive)
        return log, repr(net.load_state_dict(sd))

    assert _same(scenario) == (["child first", ("Sequential", ["1.1.running_var"], ["extra"])],
                               "<All keys matched successfully>")


def test_a_post_hook_adding_a_key_fails_a_strict_load_and_may_not_return_a_value():
    def adds(lib):
        lin = lib.nn.Linear(1, 1)
        lin.register_load_state_dict_post_hook(lambda m, k: k.missing_keys.append("ghost"))
        lin.load_state_dict(lin.state_dict())
    assert _same_error(RuntimeError, adds) == (
        'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "ghost". ')

    def returns(lib):
        lin = lib.nn.Linear(1, 1)
        lin.register_load_state_dict_post_hook(lambda m, k: k)
        lin.load_state_dict(lin.state_dict())
    assert "not expected to return new values" in _same_error(AssertionError, returns)


def test_unexpected_keys_come_in_torchs_module_walk_order():
    def scenario(lib):
        net = _net(lib)
        sd = dict(net.state_dict())
        sd = {"1.1.stray": lib.zeros(1), "0.stray": lib.zeros(1), "z.q": lib.zeros(1),
              "top": lib.zeros(1), **sd}
        return tuple(net.load_state_dict(sd, strict=False))
    assert _same(scenario) == ([], ["z.q", "top", "0.stray", "1.1.stray"])


def test_extra_state_round_trips_and_is_required_by_strict_loads():
    def scenario(lib):
        class Counter(lib.nn.Linear):
            def __init__(self):
                super().__init__(1, 1)
                self.count = 0

            def get_extra_state(self):
                return {"count": self.count}

            def set_extra_state(self, state):
                self.count = state["count"]

        a, b = Counter(), Counter()
        a.count = 5
        sd = a.state_dict()
        b.load_state_dict(sd)
        missing = Counter().load_state_dict(
            {k: v for k, v in sd.items() if k != "_extra_state"}, strict=False)
        return list(sd), b.count, tuple(missing), \
            tuple(lib.nn.Linear(1, 1).load_state_dict(sd, strict=False))
    assert _same(scenario) == (["weight", "bias", "_extra_state"], 5,
                               (["_extra_state"], []), ([], ["_extra_state"]))


def test_load_errors_as_torch():
    assert _same_error(TypeError, lambda lib: lib.nn.Linear(1, 1).load_state_dict([1])) == \
        "Expected state_dict to be dict-like, got <class 'list'>."
    text = _same_error(RuntimeError, lambda lib: lib.nn.Linear(1, 1).load_state_dict(
        {"weight": "w", "bias": lib.zeros(1)}))
    assert text.endswith("received <class 'str'>")


def test_a_scalar_parameter_loads_from_a_one_element_vector():
    def scenario(lib):
        m = lib.nn.Module()
        m.t = lib.nn.Parameter(lib.tensor(0.0))
        m.load_state_dict({"t": lib.tensor([2.5])})
        return m.t.item(), tuple(m.t.shape)
    assert _same(scenario) == (2.5, ())


def test_a_deep_copy_gets_load_pre_hooks_bound_to_the_copy():
    import copy

    def scenario(lib):
        seen = []
        lin = lib.nn.Linear(1, 1)
        lin.register_load_state_dict_pre_hook(lambda m, *rest: seen.append(m))
        twin = copy.deepcopy(lin)
        twin.load_state_dict(lin.state_dict())
        return [m is twin for m in seen], [m is lin for m in seen]
    assert _same(scenario) == ([True], [False])
