"""Editing containers as PyTorch does: ``del seq[i]`` renumbers the keys (so a later append
keeps every layer), Sequential's insert / extend / pop / + / += / * / *=, and ModuleList's
``+`` and pop: the children's types and keys against torch's."""

import pytest
import torch

import eager


def _layout(seq):
    return [(key, type(m).__name__) for key, m in seq._modules.items()]


EDITS = {
    "del then append": lambda nn, s: (s.__delitem__(0), s.append(nn.GELU())),
    "del slice": lambda nn, s: s.__delitem__(slice(0, 2)),
    "insert front": lambda nn, s: s.insert(0, nn.GELU()),
    "insert negative": lambda nn, s: s.insert(-1, nn.GELU()),
    "insert at end": lambda nn, s: s.insert(3, nn.GELU()),
    "extend": lambda nn, s: s.extend(nn.Sequential(nn.GELU(), nn.SiLU())),
    "pop": lambda nn, s: s.pop(1),
    "iadd": lambda nn, s: s.__iadd__(nn.Sequential(nn.GELU())),
    "imul": lambda nn, s: s.__imul__(2),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_sequential_edits_leave_torchs_children(edit):
    layouts = []
    for lib in (torch, eager):
        seq = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh(), lib.nn.Sigmoid())
        EDITS[edit](lib.nn, seq)
        layouts.append(_layout(seq))
    assert layouts[0] == layouts[1]


def test_new_sequentials_from_add_and_mul_share_the_layers():
    for lib in (torch, eager):
        a = lib.nn.Sequential(lib.nn.Linear(2, 2))
        b = lib.nn.Sequential(lib.nn.ReLU())
        both, twice, rtwice = a + b, a * 2, 2 * a
        assert [type(m).__name__ for m in both] == ["Linear", "ReLU"]
        assert list(twice._modules) == ["0", "1"] and twice[1] is a[0] and rtwice[0] is a[0]
        assert len(a) == 1


@pytest.mark.parametrize("bad", [lambda nn, s: s + [nn.ReLU()], lambda nn, s: s * 0,
                                 lambda nn, s: s * 1.5, lambda nn, s: s.insert(5, nn.ReLU())])
def test_bad_operands_raise_torchs_error_types(bad):
    kinds = []
    for lib in (torch, eager):
        with pytest.raises(Exception) as info:
            bad(lib.nn, lib.nn.Sequential(lib.nn.ReLU()))
        kinds.append(type(info.value))
    assert kinds[0] is kinds[1]


def test_module_list_add_and_pop():
    results = []
    for lib in (torch, eager):
        ml = lib.nn.ModuleList([lib.nn.ReLU(), lib.nn.Tanh()])
        joined = ml + [lib.nn.GELU()]
        popped = joined.pop(0)
        results.append((type(joined).__name__, _layout(joined), type(popped).__name__, len(ml)))
    assert results[0] == results[1]


def test_renumbered_sequential_still_runs_in_order():
    for lib in (torch, eager):
        seq = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Identity(), lib.nn.Tanh())
        del seq[1]
        seq.append(lib.nn.Sigmoid())
        x = lib.tensor([-1.0, 0.5])
        assert seq(x).tolist() == pytest.approx(lib.sigmoid(lib.tanh(lib.relu(x))).tolist())
