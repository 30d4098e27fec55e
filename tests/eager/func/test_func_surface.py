"""eager.func has torch.func's public functions with torch's signatures, and
eager.autograd.functional torch.autograd.functional's six (einops' ``rearrange`` aside)."""

from __future__ import annotations

import inspect

import pytest
from func_oracle import torch

import eager
import eager.autograd.functional as eager_functional

NOT_HERE = {"rearrange": "einops' notation, a string parser of its own: not built"}


def _parameters(fn) -> list:
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


def test_every_torch_func_name_is_here_or_listed():
    public = {n for n in dir(torch.func) if not n.startswith("_")}
    assert sorted(public - set(eager.func.__all__) - set(NOT_HERE)) == []
    assert set(eager.func.__all__) <= public


@pytest.mark.parametrize("name", sorted(eager.func.__all__))
def test_func_signature_is_torchs(name):
    assert _parameters(getattr(eager.func, name)) == _parameters(getattr(torch.func, name))


@pytest.mark.parametrize("name", ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"])
def test_autograd_functional_signature_is_torchs(name):
    theirs = getattr(torch.autograd.functional, name)
    assert _parameters(getattr(eager_functional, name)) == _parameters(theirs)


def test_stateless_signature_is_torchs():
    from torch.nn.utils import stateless as torch_stateless

    from eager.nn.utils import stateless
    assert _parameters(stateless.functional_call) == \
        _parameters(torch_stateless.functional_call)
