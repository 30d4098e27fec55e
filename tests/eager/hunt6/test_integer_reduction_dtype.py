"""sum, nansum, prod, cumsum and cumprod with an integer or bool ``dtype=`` compute in that
dtype as torch does (an int8 or uint8 result wraps around) instead of widening to int64 or to
NumPy's platform integer (uint64, a dtype torch does not have)."""

import pytest

import eager

torch = pytest.importorskip("torch")

CALLS = {
    "sum": lambda t, m: m.sum(dtype=t.uint8),
    "sum_dim": lambda t, m: m.sum(1, dtype=t.int16),
    "torch.sum": lambda t, m: t.sum(m, 1, dtype=t.int8),
    "nansum": lambda t, m: m.nansum(dtype=t.uint8),
    "prod": lambda t, m: m.prod(dtype=t.uint8),
    "prod_dim": lambda t, m: m.prod(1, dtype=t.int16),
    "torch.prod": lambda t, m: t.prod(m, dtype=t.int32),
    "cumsum": lambda t, m: m.cumsum(1, dtype=t.uint8),
    "torch.cumsum": lambda t, m: t.cumsum(m, 1, dtype=t.int8),
    "cumprod": lambda t, m: m.cumprod(1, dtype=t.int16),
    "bool_sum": lambda t, m: (m > 50).sum(dtype=t.bool),
    "plain_prod": lambda t, m: m.prod(),
    "plain_cumsum": lambda t, m: m.cumsum(0),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_integer_dtype_reductions_match_torch(name):
    values = [[100, 100, 3], [7, 200, 1]]
    want = CALLS[name](torch, torch.tensor(values, dtype=torch.uint8))
    got = CALLS[name](eager, eager.tensor(values, dtype=eager.uint8))
    assert str(got.dtype) == str(want.dtype)
    assert got.tolist() == want.tolist()


def test_bit_packing_keeps_uint8():
    mask = eager.tensor([[True, False, True, False, False, False, False, True]])
    weights = (1 << eager.arange(7, -1, -1)).to(eager.uint8)
    packed = (mask.to(eager.uint8) * weights).sum(-1, dtype=eager.uint8)
    assert packed.dtype == eager.uint8
    assert (~packed).tolist() == [94]
