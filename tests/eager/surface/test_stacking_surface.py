"""hstack, vstack/row_stack, dstack, column_stack and meshgrid against torch: shapes, dtypes,
gradients, the one-time indexing warning and the errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager
from eager import functions_shape

RNG = np.random.default_rng(1606)
A = RNG.standard_normal(3).astype(np.float32)
B = RNG.standard_normal(3).astype(np.float32)
M = RNG.standard_normal((3, 2)).astype(np.float32)
S0 = np.float32(1.5)


@pytest.mark.parametrize("name", ["hstack", "vstack", "row_stack", "dstack", "column_stack"])
@pytest.mark.parametrize("inputs", [(A, B), (S0, S0), (A[:1], S0)], ids=["1d", "0d", "mixed"])
def test_stacking_vectors_and_scalars(name, inputs):
    same(lambda lib, *ts: getattr(lib, name)(ts), *inputs, grad=True)


def test_stacking_matrices():
    same(lambda lib, m, n: lib.hstack([m, n]), M, M[:, :1], grad=True)
    same(lambda lib, m, n: lib.vstack((m, n)), M, M[:1], grad=True)
    same(lambda lib, m, n: lib.dstack([m, n]), M, M, grad=True)
    same(lambda lib, m, a: lib.column_stack([m, a]), M, A, grad=True)
    same(lambda lib, a, b: lib.hstack([a, b]), np.arange(2), np.array([0.5]))  # promotes


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack"])
def test_stacking_nothing_is_refused(name):
    for lib in (torch, eager):
        with pytest.raises(RuntimeError, match=f"{name} expects a non-empty TensorList"):
            getattr(lib, name)([])


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid_of_two_and_three_inputs(indexing):
    same(lambda lib, a, b: lib.meshgrid(a, b[:2], indexing=indexing), A, B, grad=True)
    same(lambda lib, a, b, c: lib.meshgrid([a, b, c], indexing=indexing), A, B[:2], S0,
         grad=True)
    same(lambda lib, a: lib.meshgrid(a, indexing=indexing), A)


def test_meshgrid_without_indexing_is_ij_and_warns_once(monkeypatch):
    monkeypatch.setattr(functions_shape, "_warned_indexing", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = eager.meshgrid(eager.tensor(A), eager.tensor(B[:2]))
        eager.meshgrid(eager.tensor(A), eager.tensor(B[:2]))
    assert [str(w.message) for w in caught] == [
        "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
        "argument."]
    assert tuple(first[0].shape) == (3, 2)


def test_meshgrid_errors():
    same_error(RuntimeError, lambda lib, a: lib.meshgrid(a, indexing="yx"), A)
    same_error(RuntimeError, lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"), A,
               np.arange(2))
    same_error(RuntimeError, lambda lib, m: lib.meshgrid(m, indexing="ij"), M,
               match_message=False)
    for lib in (torch, eager):
        with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
            lib.meshgrid(indexing="ij")
