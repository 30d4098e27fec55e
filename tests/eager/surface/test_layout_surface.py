"""diag, diagonal, movedim/moveaxis, tile, masked_select, unfold, unbind and clone as torch
functions and Tensor methods, against torch (values, dtypes, gradients, errors)."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error

RNG = np.random.default_rng(1603)
Y = RNG.standard_normal((2, 3, 4))
M = RNG.standard_normal((3, 5)).astype(np.float32)
V = RNG.standard_normal(4).astype(np.float32)


@pytest.mark.parametrize("k", [-3, -1, 0, 2, 7])
def test_diag_builds_a_matrix_from_a_vector_and_takes_a_diagonal(k):
    same(lambda lib, v: lib.diag(v, k), V, grad=True)
    same(lambda lib, m: m.diag(diagonal=k), M, grad=True)
    same(lambda lib, v: lib.diag(v, k), np.arange(3))


def test_diag_of_an_empty_vector_and_of_other_ranks():
    same(lambda lib, v: lib.diag(v, 2), np.zeros(0, np.float32))
    same_error(RuntimeError, lambda lib, y: lib.diag(y), Y)


@pytest.mark.parametrize("offset,dim1,dim2", [(0, 0, 1), (1, -1, 0), (-1, 2, 1), (5, 0, 2),
                                              (-2, 1, -1)])
def test_diagonal_with_offsets_and_negative_dims(offset, dim1, dim2):
    same(lambda lib, y: lib.diagonal(y, offset, dim1, dim2), Y, grad=True)
    same(lambda lib, y: y.diagonal(offset=offset, dim1=dim1, dim2=dim2), Y)


def test_diagonal_refuses_one_dim_twice_and_out_of_range_dims():
    same_error(RuntimeError, lambda lib, y: y.diagonal(0, 1, 1), Y, match_message=False)
    same_error(IndexError, lambda lib, y: y.diagonal(0, 0, 3), Y, match_message=False)


@pytest.mark.parametrize("name", ["movedim", "moveaxis"])
def test_movedim_of_one_and_several_dims(name):
    same(lambda lib, y: getattr(lib, name)(y, 0, -1), Y, grad=True)
    same(lambda lib, y: getattr(y, name)((0, -1), (2, 0)), Y, grad=True)
    same(lambda lib, y: getattr(lib, name)(y, [1], [1]), Y)
    same_error(TypeError, lambda lib, y: getattr(lib, name)(y, (0, 1), 0), Y,
               match_message=False)
    same_error(RuntimeError, lambda lib, y: getattr(lib, name)(y, (0, 1), (0,)), Y,
               match_message=False)
    same_error(RuntimeError, lambda lib, y: getattr(lib, name)(y, (0, 0), (1, 2)), Y,
               match_message=False)


def test_tile_method_and_function():
    same(lambda lib, m: m.tile(2, 1), M, grad=True)
    same(lambda lib, m: m.tile((2, 1, 3)), M, grad=True)
    same(lambda lib, m: lib.tile(m, (2,)), M)


def test_masked_select_broadcasts_mask_and_input():
    mask = np.array([True, False, True, False, True])
    same(lambda lib, m, k: lib.masked_select(m, k), M, mask, grad=True)
    same(lambda lib, v, k: v.masked_select(k), V[:1], np.array([[True], [False], [True]]),
         grad=True)
    same_error(RuntimeError, lambda lib, m, k: lib.masked_select(m, k), M, mask.astype(int),
               match_message=False)


@pytest.mark.parametrize("dim,size,step", [(0, 1, 1), (-1, 2, 1), (2, 3, 2), (1, 3, 3),
                                           (2, 4, 5)])
def test_unfold_windows(dim, size, step):
    same(lambda lib, y: y.unfold(dim, size, step), Y, grad=True)


def test_unfold_errors_and_zero_d():
    same(lambda lib, x: x.unfold(0, 1, 1), np.float32(2.0))
    same_error(RuntimeError, lambda lib, y: y.unfold(0, 3, 1), Y, match_message=False)
    same_error(RuntimeError, lambda lib, y: y.unfold(0, 1, 0), Y, match_message=False)


def test_unbind_and_clone_functions():
    same(lambda lib, y: lib.unbind(y, 1), Y, grad=True)
    same(lambda lib, y: lib.unbind(y), Y)
    same(lambda lib, y: lib.clone(y) * 2, Y, grad=True)
