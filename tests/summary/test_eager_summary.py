"""eager.summary: the table's text, depth, columns, inputs and errors (torchinfo as oracle)."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")
torchinfo = pytest.importorskip("torchinfo")

COLS = ("input_size", "output_size", "num_params", "params_percent", "trainable", "mult_adds")


def twin_models():
    """The same small model in eager and in torch, first weight frozen in both."""
    e = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 2)),
                      nn.BatchNorm1d(2))
    t = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
                            torch.nn.Sequential(torch.nn.Linear(8, 2)), torch.nn.BatchNorm1d(2))
    e[0].weight.requires_grad_(False)
    t[0].weight.requires_grad_(False)
    return e, t


def without_mult_adds_unit(text: str) -> str:
    # torchinfo 1.8 prints its unit enum's repr there ("Units.MEGABYTES"); we print "M".
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("Total mult-adds"))


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("rows", [("depth",), ("depth", "ascii_only"), ("var_names",)])
def test_text_equals_torchinfo(depth, rows):
    e, t = twin_models()
    kw = dict(col_names=COLS, depth=depth, row_settings=rows, verbose=0)
    ours = str(eager.summary(e, input_size=(3, 4), **kw))
    theirs = str(torchinfo.summary(t, input_size=(3, 4), **kw))
    if "var_names" in rows:  # we name the whole path, torchinfo the last attribute
        ours = ours.replace("(2.0)", "(0)  ")
    assert without_mult_adds_unit(ours) == without_mult_adds_unit(theirs)


def test_totals_and_mult_adds_equal_torchinfo():
    e, t = twin_models()
    ours = eager.summary(e, input_size=(3, 4), verbose=0)
    theirs = torchinfo.summary(t, input_size=(3, 4), verbose=0)
    assert (ours.total_params, ours.trainable_params, ours.total_mult_adds) == \
        (theirs.total_params, theirs.trainable_params, theirs.total_mult_adds)
    assert "Total mult-adds (M): 0.00" in str(ours)


def test_several_inputs_with_dtypes_and_input_data():
    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 3)
            self.fc = nn.Linear(5, 2)

        def forward(self, idx, x):
            return eager.cat([self.emb(idx).sum(1), x], 1)

    m = Two()
    s = eager.summary(m, input_size=[(2, 4), (2, 2)], dtypes=[eager.int64, eager.float32],
                      col_names=("input_size", "output_size"), verbose=0)
    assert s.summary_list[0].input_size == [[2, 4], [2, 2]]
    assert s.summary_list[0].output_size == [2, 5]
    assert s.summary_list[1].output_size == [2, 4, 3]
    assert [r.path for r in s.summary_list] == ["", "emb"]  # fc is never called
    d = eager.summary(m, input_data=[np.zeros((2, 4), np.int64), eager.zeros(2, 2)], verbose=0)
    assert d.summary_list[0].output_size == [2, 5] and d.input_bytes == 2 * 4 * 8 + 2 * 2 * 4


def test_verbose_prints_and_rng_is_untouched(capsys):
    model = nn.Linear(2, 2)
    eager.manual_seed(3)
    expected = eager.rand(2)
    eager.manual_seed(3)
    eager.summary(model, input_size=(1, 2))
    assert "Total params: 6" in capsys.readouterr().out
    assert eager.equal(eager.rand(2), expected)
    eager.summary(nn.Linear(2, 2), input_size=(1, 2), verbose=0)
    assert capsys.readouterr().out == ""


def test_bad_arguments_raise_like_torchinfo():
    with pytest.raises(ValueError, match="column 'nope' is not a valid column name"):
        eager.summary(nn.Linear(2, 2), input_size=(1, 2), col_names=("nope",))
    with pytest.raises(ValueError, match="input_size"):
        eager.summary(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="2 input sizes but 1 dtypes"):
        eager.summary(nn.Linear(2, 2), input_size=[(1, 2), (1, 2)], dtypes=[eager.float32])
    with pytest.raises(RuntimeError, match=r"Linear failed \(ShapeError: .*3 features.*"
                       r"executed layers up to: \['Linear: 0-1'\]") as info:
        eager.summary(nn.Linear(2, 2), input_size=(1, 3), verbose=0)
    assert type(info.value.__cause__).__name__ == "ShapeError"  # the model's own error


def test_hooks_are_removed_after_a_failing_forward():
    m = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(RuntimeError):
        eager.summary(m, input_size=(1, 3), verbose=0)
    assert not m._forward_hooks and not m[0]._forward_pre_hooks


def test_runs_in_eval_mode_by_default_and_restores_the_mode():
    seen = []

    class Probe(nn.Module):
        def forward(self, x):
            seen.append(self.training)
            return x

    m = nn.Sequential(Probe())
    m.train()
    eager.summary(m, input_size=(1, 2), verbose=0)
    eager.summary(m, input_size=(1, 2), mode="train", verbose=0)
    m.eval()
    eager.summary(m, input_size=(1, 2), mode="same", verbose=0)
    assert seen == [False, True, False] and not m.training
    with pytest.raises(ValueError, match="mode must be"):
        eager.summary(m, input_size=(1, 2), mode="fast")


def test_signature_follows_torchinfo():
    import inspect

    ours = list(inspect.signature(eager.summary).parameters)
    theirs = list(inspect.signature(torchinfo.summary).parameters)
    assert ours == theirs
