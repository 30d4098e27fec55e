"""eager.pi, eager.e, eager.inf and eager.nan are torch's Python floats (programs write
``2 * torch.pi * t`` and ``torch.full(..., -torch.inf)``)."""
import math

import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["pi", "e", "inf"])
def test_constant_equals_torch(name):
    ours, theirs = getattr(eager, name), getattr(torch, name)
    assert type(ours) is type(theirs) is float
    assert ours == theirs


def test_nan_is_a_float_nan_and_listed():
    assert type(eager.nan) is float and math.isnan(eager.nan) and math.isnan(torch.nan)
    assert {"pi", "e", "inf", "nan"} <= set(eager.__all__)


def test_constants_in_tensor_code_match_torch():
    t_e = eager.arange(4.0)
    t_t = torch.arange(4.0)
    got = eager.sin(2 * eager.pi * t_e / 8).masked_fill(t_e > 2, -eager.inf)
    want = torch.sin(2 * torch.pi * t_t / 8).masked_fill(t_t > 2, -torch.inf)
    assert got.tolist() == pytest.approx(want.tolist())
