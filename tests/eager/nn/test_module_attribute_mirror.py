"""A Module's tables (``_parameters``, ``_modules``, ``_buffers``) mirror into its ``__dict__``
so that ``self.weight`` is a plain attribute read: whatever writes the tables - the Module API,
the containers, or a user writing straight into them as PyTorch users do - the attribute must
show the table's entry, and nothing stale may stay behind."""

import copy
import doctest
import gc
import pickle
import weakref
from collections import OrderedDict

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.module_state as module_state

TABLES = ("_parameters", "_modules", "_buffers")  # __getattr__'s lookup order


def assert_mirrored(model):
    """Every table entry of every submodule is its attribute, read without __getattr__."""
    for module in model.modules():
        tables = [getattr(module, t) for t in TABLES]
        for name in set().union(*tables):
            # A name held by two tables shows the earlier table's entry, as __getattr__ would.
            first = next(table for table in tables if name in table)
            assert vars(module)[name] is first[name], name


def param(*shape):
    return nn.Parameter(eager.ones(*shape))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.scale = param(1)
        self.register_buffer("steps", eager.zeros(1))

    def forward(self, x):
        return self.fc(x) * self.scale


def test_registered_entries_are_plain_attributes():
    net = Net()
    assert_mirrored(net)
    assert vars(net)["fc"] is net.fc and vars(net.fc)["weight"] is net.fc._parameters["weight"]
    assert vars(net)["steps"] is net._buffers["steps"]


def test_writing_straight_into_the_tables_updates_the_attributes():
    m = nn.Linear(3, 2)
    p, q = param(2), param(3)
    steps = [
        lambda: m._parameters.__setitem__("w", p),
        lambda: m._parameters.update(w=q, v=p),
        lambda: m._parameters.setdefault("u", p),
        lambda: m._parameters.__ior__({"u": q}),
        lambda: m._parameters.__delitem__("w"),
        lambda: m._parameters.pop("v"),
        lambda: m._parameters.popitem(),
        lambda: m._buffers.__setitem__("running", eager.zeros(2)),
        lambda: m._buffers.clear(),
    ]
    for step in steps:
        step()
        assert_mirrored(m)
    for gone in ("w", "v", "u", "running"):
        assert gone not in vars(m) and not hasattr(m, gone)
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]


def test_direct_table_writes_follow_pytorchs_lookup_order():
    m = nn.Module()
    child, p = nn.Linear(1, 1), param(1)
    m._buffers["x"] = eager.zeros(1)
    m._modules["x"] = child
    assert m.x is child  # modules before buffers
    m._parameters["x"] = p
    assert m.x is p  # parameters before both
    del m._parameters["x"]
    assert m.x is child  # the next table's entry shows again
    del m._modules["x"]
    assert m.x is m._buffers["x"]


def test_a_direct_write_does_not_hide_what_normal_lookup_finds_first():
    # PyTorch looks in the tables only when normal lookup fails: a plain attribute or a method
    # of the same name keeps winning, and stays when the entry goes.
    m = nn.Linear(3, 2)
    p, q = param(1), param(1)
    m.note = None
    for name in ("training", "forward", "in_features", "note"):
        before = getattr(m, name)
        m._parameters[name] = p
        m._buffers.update({name: q})
        assert getattr(m, name) == before
        del m._parameters[name]
        m._buffers.clear()
        assert getattr(m, name) == before
    assert m.training is True and m(eager.ones(1, 3)).shape == (1, 2)
    m._buffers[0] = q  # a key that is no attribute name: kept in the table only
    assert m._buffers.pop(0) is q and 0 not in vars(m)
    m._parameters["note"] = p
    for twin in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert twin.note is None and "note" in twin._parameters


def test_assignment_none_and_type_errors_keep_the_mirror():
    m = nn.Linear(3, 2)
    weight = m.weight
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        m.weight = eager.ones(2, 3)
    assert m.weight is weight
    m.weight = None
    assert m.weight is None and m._parameters["weight"] is None
    m.register_parameter("extra", None)
    assert m.extra is None and "extra" in m._parameters
    m.weight = weight
    assert m.weight is weight
    m.register_buffer("stat", eager.zeros(1))
    m.stat = child = nn.Identity()  # a module takes the name over from the buffer
    assert m.stat is child and "stat" not in m._buffers
    m.stat = p = param(1)  # and a parameter from the module
    assert m.stat is p and "stat" not in m._modules
    assert_mirrored(m)


def test_del_removes_the_attribute():
    net = Net()
    del net.scale, net.fc, net.steps
    for name in ("scale", "fc", "steps"):
        assert name not in vars(net)
        with pytest.raises(AttributeError, match=f"'Net' object has no attribute '{name}'"):
            getattr(net, name)
    net.plain = 3
    del net.plain
    assert not hasattr(net, "plain")


def test_load_state_dict_and_to_leave_no_stale_attribute():
    net = Net()
    before = net.fc.weight
    state = {k: v.numpy() + 1 for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    assert net.fc.weight is before and np.array_equal(net.fc.weight.numpy(), state["fc.weight"])
    net.load_state_dict(state, assign=True)
    assert net.fc.weight is net.fc._parameters["weight"]
    net.to(np.float64)
    assert net.fc.weight.dtype == np.float64 and net.steps.dtype == np.float64
    assert_mirrored(net)


def test_containers_keep_the_mirror():
    seq = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1))
    tail = seq[2]
    del seq[1]  # renumbered as in PyTorch: the last Linear is "1" now
    assert getattr(seq, "1") is tail and "2" not in vars(seq)
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])
    last = ml[2]
    del ml[0]
    assert getattr(ml, "1") is last and "2" not in vars(ml)
    ml.insert(0, nn.Identity())
    assert_mirrored(ml)
    md = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()})
    md.pop("a")
    assert not hasattr(md, "a")
    md.clear()
    assert not hasattr(md, "b")
    for module in (seq, ml, md):
        assert_mirrored(module)


def test_dir_lists_registered_names_once():
    names = dir(Net())
    assert {"fc", "scale", "steps", "forward"} <= set(names)
    assert len(names) == len(set(names))


def test_deepcopy_and_pickle_give_independent_mirrored_modules():
    net = Net()
    for twin in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert_mirrored(twin)
        assert twin.fc.weight is not net.fc.weight
        assert twin.fc.weight is twin.fc._parameters["weight"]
        np.testing.assert_array_equal(twin.fc.weight.numpy(), net.fc.weight.numpy())
        twin._parameters["scale"] = param(1)
        assert net.scale is net._parameters["scale"] and twin.scale is not net.scale
    # The pickle holds each entry once (the tables), not the mirror as well.
    assert "scale" not in net.__getstate__() and "fc" not in net.fc.__getstate__()


def test_deepcopy_keeps_shared_parameters_shared():
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    net[1].weight = net[0].weight
    twin = copy.deepcopy(net)
    assert twin[1].weight is twin[0].weight is twin[0]._parameters["weight"]
    assert twin[0].weight is not net[0].weight
    assert len(list(twin.parameters())) == 3


def test_a_shallow_copy_does_not_write_into_the_originals_attributes():
    net = Net()
    twin = copy.copy(net)
    twin.scale = param(1)
    assert net.scale is net._parameters["scale"] and twin.scale is twin._parameters["scale"]
    assert twin.fc is net.fc  # shallow: the children are shared


def test_a_state_with_plain_ordered_dicts_loads_mirrored():
    # The shape of a module pickled before the tables mirrored: OrderedDicts, no mirror.
    m = nn.Linear.__new__(nn.Linear)
    state = {k: v for k, v in nn.Linear(2, 1).__getstate__().items()}
    state.update({t: OrderedDict(state[t]) for t in TABLES})
    m.__setstate__(state)
    assert_mirrored(m)
    assert m(eager.ones(1, 2)).shape == (1, 1)


def test_a_dropped_module_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        net = Net()
        ref = weakref.ref(net)
        del net
        assert ref() is None
    finally:
        gc.enable()


def test_registry_docstring_examples():
    globs = {**vars(module_state), "eager": eager, "nn": nn}
    result = doctest.testmod(module_state, globs=globs)
    assert result.attempted > 0 and result.failed == 0
