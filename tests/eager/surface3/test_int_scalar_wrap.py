"""A Python int out of an integer tensor's range wraps into it as in torch (two's complement:
``int8 + 200`` adds -56), where NumPy 2 raises OverflowError; torch's errors where torch
checks instead (``where``, ``clamp``, ``masked_fill``, ``fill_``, ``full``: an unsigned dtype
takes negatives down to -max there, wrapped) and beyond 64 bits."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")


def t(L, dtype, data=(1, 2)):
    return L.tensor(list(data), dtype=getattr(L, dtype))


WRAPS = {
    "int8-add": lambda L: t(L, "int8") + 200,
    "int8-radd": lambda L: 200 + t(L, "int8"),
    "int8-mul": lambda L: t(L, "int8") * 300,
    "uint8-add": lambda L: t(L, "uint8") + 300,
    "uint8-sub": lambda L: t(L, "uint8") - 300,
    "uint8-sub-small": lambda L: t(L, "uint8") - 3,
    "int8-add_": lambda L: t(L, "int8").add_(200),
    "uint8-mul_": lambda L: t(L, "uint8").mul_(-1),
    "int8-iadd": lambda L: t(L, "int8").__iadd__(1000),
    "int8-2**40": lambda L: t(L, "int8") + 2 ** 40,
    "int32-2**40": lambda L: t(L, "int32") + 2 ** 40,
    "int64-2**63": lambda L: t(L, "int64") + 2 ** 63,
    "uint8--2**63": lambda L: t(L, "uint8") + -(2 ** 63),
    "int8-gt": lambda L: t(L, "int8") > 200,
    "int8-eq": lambda L: t(L, "int8") == 257,
    "int16-floordiv": lambda L: t(L, "int16") // 70000,
    "int8-remainder": lambda L: t(L, "int8") % 200,
    "uint8-and": lambda L: t(L, "uint8") & 257,
    "int8-sub-alpha": lambda L: t(L, "int8").sub(200, alpha=2),
    "int8-float-scalar": lambda L: t(L, "int8") + 200.0,
}


@pytest.mark.parametrize("name", list(WRAPS))
def test_wraps_as_torch(name):
    ours, theirs = WRAPS[name](eager), WRAPS[name](torch)
    assert (ours.tolist(), str(ours.dtype)) == (theirs.tolist(), str(theirs.dtype))


CHECKED = {  # torch converts these scalars with an overflow check
    "where": lambda L, d, v: L.where(L.tensor([True, False]), t(L, d), v),
    "clamp": lambda L, d, v: t(L, d).clamp(max=v),
    "masked_fill": lambda L, d, v: t(L, d).masked_fill(L.tensor([True, False]), v),
    "fill_": lambda L, d, v: t(L, d).fill_(v),
    "full": lambda L, d, v: L.full((2,), v, dtype=getattr(L, d)),
}


@pytest.mark.parametrize("name", list(CHECKED))
@pytest.mark.parametrize("dtype,value", [("int8", 200), ("int8", -129), ("uint8", 256),
                                         ("uint8", -256), ("int16", 40000),
                                         ("int32", 2 ** 40), ("int64", 2 ** 63)])
def test_checked_conversions_raise_torchs_error(name, dtype, value):
    with pytest.raises(RuntimeError) as theirs:
        CHECKED[name](torch, dtype, value)
    with pytest.raises(RuntimeError) as ours:
        CHECKED[name](eager, dtype, value)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", list(CHECKED))
@pytest.mark.parametrize("dtype,value", [("uint8", -1), ("uint8", -255), ("int8", -128),
                                         ("int64", -(2 ** 63))])
def test_checked_conversions_take_what_torch_takes(name, dtype, value):
    ours, theirs = CHECKED[name](eager, dtype, value), CHECKED[name](torch, dtype, value)
    assert (ours.tolist(), str(ours.dtype)) == (theirs.tolist(), str(theirs.dtype))


@pytest.mark.parametrize("call", [
    lambda L: t(L, "int8") + 2 ** 70,
    lambda L: t(L, "int64") + 2 ** 64,
], ids=["beyond-64-bits", "int64-2**64"])
def test_errors_as_torch(call):
    with pytest.raises((OverflowError, RuntimeError)) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(eager)
    assert str(ours.value) == str(theirs.value)
