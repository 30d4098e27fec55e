"""ASGD against torch.optim.ASGD: 10 steps from the same weights agree within 1e-6 over its
options (averaging from t0 on included) and parameter groups; state dict, signature, printing
and errors."""

import doctest
import inspect

import numpy as np
import pytest
from optim_pairs import assert_same_parameters, groups, pair, train_eager, train_torch

import eager
import eager.optim as optim

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3},
    {"lr": 0.01, "weight_decay": 0.1, "t0": 0}, {"lr": 0.002, "maximize": True, "t0": 5},
], ids=str)
def test_ten_steps_and_state_match_torch(kwargs):
    ours, theirs = pair(torch)
    opt, ref = optim.ASGD(ours.parameters(), **kwargs), torch.optim.ASGD(theirs.parameters(),
                                                                         **kwargs)
    train_eager(ours, opt, 10)
    train_torch(torch, theirs, ref, 10)
    assert_same_parameters(ours, theirs)
    for index, entries in ref.state_dict()["state"].items():
        mine = opt.state_dict()["state"][index]
        assert list(mine) == list(entries)
        for key, value in entries.items():
            assert str(mine[key].dtype) == str(value.dtype), key
            np.testing.assert_allclose(mine[key].numpy(), value.numpy(), rtol=1e-5, atol=1e-7,
                                       err_msg=key)


def test_groups_and_printing_match_torch():
    options = ({"lr": 0.05, "t0": 2}, {"lambd": 0.01})
    ours, theirs = pair(torch)
    opt, ref = optim.ASGD(groups(ours, options)), torch.optim.ASGD(groups(theirs, options))
    assert repr(opt) == repr(ref)
    train_eager(ours, opt, 8)
    train_torch(torch, theirs, ref, 8)
    assert_same_parameters(ours, theirs)


def test_signature_is_torchs():
    ours = inspect.signature(optim.ASGD.__init__).parameters
    theirs = inspect.signature(torch.optim.ASGD.__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


@pytest.mark.parametrize("kwargs", [{"lr": -1}, {"weight_decay": -1}])
def test_bad_arguments_raise_torchs_errors(kwargs):
    with pytest.raises(ValueError) as theirs:
        torch.optim.ASGD([torch.nn.Parameter(torch.ones(2))], **kwargs)
    with pytest.raises(ValueError) as ours:
        optim.ASGD([eager.nn.Parameter(eager.ones(2))], **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_docstring_example():
    import eager.optim.asgd as module

    result = doctest.testmod(module, globs={**vars(module), "eager": eager})
    assert result.attempted > 0 and result.failed == 0
