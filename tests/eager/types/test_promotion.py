"""promote_types, can_cast, result_type and is_complex against torch's."""

from __future__ import annotations

import itertools

import pytest
from same_error import assert_same_error

import eager

torch = pytest.importorskip("torch")

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("a, b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_and_can_cast_match_torch(a, b):
    ours = eager.promote_types(getattr(eager, a), getattr(eager, b))
    assert ours is getattr(eager, str(torch.promote_types(getattr(torch, a),
                                                          getattr(torch, b)))[6:])
    assert eager.can_cast(getattr(eager, a), getattr(eager, b)) == \
        torch.can_cast(getattr(torch, a), getattr(torch, b))


# Operands as (dtype name, shape) for tensors, or Python numbers.
OPERANDS = [("int32", (2,)), ("int32", ()), ("float16", (2,)), ("float64", ()), ("bool", (2,)),
            ("bool", ()), ("uint8", (2,)), ("int64", ()), ("float32", (2,)), 2, 2.5, True]


def _make(lib, spec):
    if isinstance(spec, tuple):
        return lib.ones(spec[1], dtype=getattr(lib, spec[0]))
    return spec


@pytest.mark.parametrize("x, y", list(itertools.product(OPERANDS, OPERANDS)))
def test_result_type_matches_torch(x, y):
    ours = eager.result_type(_make(eager, x), _make(eager, y))
    assert str(ours) == str(torch.result_type(_make(torch, x), _make(torch, y)))


@pytest.mark.parametrize("call", [lambda L: L.promote_types(L.float32, "float32"),
                                  lambda L: L.can_cast("float32", L.int32)])
def test_errors_match_torch(call):
    assert_same_error(TypeError, call)


def test_is_complex():
    assert eager.is_complex(eager.ones(2)) is torch.is_complex(torch.ones(2)) is False


@pytest.mark.parametrize("x, y", [(x, y) for x, y in itertools.product(OPERANDS, OPERANDS)
                                  if isinstance(x, tuple) or isinstance(y, tuple)])
def test_arithmetic_promotes_as_result_type_says(x, y):
    ours = _make(eager, x) * _make(eager, y)
    assert str(ours.dtype) == str((_make(torch, x) * _make(torch, y)).dtype)
    assert ours.dtype is eager.result_type(_make(eager, x), _make(eager, y))
