"""Dtype rules through the ops: PyTorch promotion and weak scalars, float-only math, bool
comparisons, int64 indices and sums, float32 kept float32 (no silent float64)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import shared_ops as ops
from shared_ops import dtypes as dt

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _arr(name: str) -> np.ndarray:
    return np.ones(3, dtype=name)


@pytest.mark.parametrize("a, b", list(itertools.combinations_with_replacement(NAMES, 2)))
def test_promotion_matches_torch(a, b):
    torch = pytest.importorskip("torch")
    want = torch.promote_types(getattr(torch, a), getattr(torch, b))
    got = dt.result_dtype(np.dtype(a), np.dtype(b))
    assert str(got) == str(want).removeprefix("torch.")
    assert ops.mul(_arr(a), _arr(b)).dtype == got  # and the ops apply it


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("scalar", [True, 2, 2.5])
def test_weak_scalars_match_torch(name, scalar):
    torch = pytest.importorskip("torch")
    want = (torch.ones(3, dtype=getattr(torch, name)) * scalar).dtype
    assert str(ops.mul(_arr(name), scalar).dtype) == str(want).removeprefix("torch.")


def test_python_scalars_default_like_torch():
    assert ops.add(1.5, 2.0).dtype == dt.float32
    assert ops.add(1, 2).dtype == dt.int64
    assert ops.add(np.array([1, 2], np.int32), 1).dtype == dt.int32


@pytest.mark.parametrize("op", ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid"])
@pytest.mark.parametrize("name", ["bool", "int32", "int64"])
def test_float_math_on_integers_gives_float32(op, name):
    assert getattr(ops, op)(_arr(name)).dtype == dt.float32


def test_true_division_and_means_are_floating():
    assert ops.div(np.array([1, 2]), np.array([2, 2])).dtype == dt.float32
    assert ops.mean(np.array([1, 2], np.int64)).dtype == dt.float32
    assert ops.var(np.array([1, 2, 4], np.int32)).dtype == dt.float32
    assert ops.div(np.ones(2), 2).dtype == dt.float64


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparisons_return_bool(op):
    assert getattr(ops, op)(np.ones(2, np.float32), np.zeros(2, np.int64)).dtype == dt.bool_


def test_index_producing_ops_return_int64():
    x = np.ones((2, 3), np.float32)
    assert ops.argmax(x, axis=1).dtype == dt.int64
    assert ops.argmin(x).dtype == dt.int64
    assert ops.sum(np.ones(3, np.int32)).dtype == dt.int64
    assert ops.sum(np.ones(3, bool)).dtype == dt.int64


@pytest.mark.parametrize("op", ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid",
                                "relu", "abs", "neg"])
def test_float32_stays_float32(op):
    assert getattr(ops, op)(np.full(3, 0.5, np.float32)).dtype == dt.float32


def test_float32_reductions_and_matmul_stay_float32():
    x = np.ones((2, 3), np.float32)
    for y in (ops.sum(x), ops.mean(x, axis=0), ops.var(x), ops.max(x), ops.logsumexp(x, axis=1),
              ops.matmul(x, x.T), ops.pow(x, 2), ops.clip(x, 0.0, 0.5), ops.maximum(x, 0.0)):
        assert y.dtype == dt.float32


def test_casts_and_one_hot():
    assert ops.cast(np.ones(2), dtype=np.dtype("int32")).dtype == dt.int32
    assert ops.one_hot(np.array([0, 1]), num_classes=2).dtype == dt.float32
    assert ops.zeros_like(np.ones(2, np.int8)).dtype == dt.int8
