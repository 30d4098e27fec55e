"""kron, rot90, take, index_fill(_), fill_diagonal_, baddbmm/addbmm/addmv/addr and
div(rounding_mode="trunc") against torch: values, dtypes, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(1662)
A = RNG.standard_normal((2, 3)).astype(np.float32)
B = RNG.standard_normal((3, 2)).astype(np.float32)
C = RNG.standard_normal((4,)).astype(np.float64)


@pytest.mark.parametrize("a,b", [(A, B), (C, A), (A, C), (A[0], B[:, 0])])
def test_kron(a, b):
    same(lambda lib, x, y: lib.kron(x, y), a, b, grad=True)
    same(lambda lib, x, y: x.kron(y), a, b)


@pytest.mark.parametrize("k", [-3, -1, 0, 1, 2, 3, 5])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (-1, 0), (0, 2)])
def test_rot90(k, dims):
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    same(lambda lib, t: lib.rot90(t, k, dims), x, grad=True)


@pytest.mark.parametrize("dims,k", [((0, 0), 1), ((0,), 1), ((0, 5), 1)])
def test_rot90_errors(dims, k):
    kind = IndexError if 5 in dims else RuntimeError
    same_error(kind, lambda lib, t: lib.rot90(t, k, dims), A)
    same_error(RuntimeError, lambda lib, t: lib.rot90(t), C)


def test_take_flat_positions_negative_and_gradient():
    index = np.array([[0, -1], [4, 4]])
    same(lambda lib, x, i: lib.take(x, i), A, index, grad=True)
    same(lambda lib, x, i: x.take(i), A, np.array(3))
    with pytest.raises(IndexError):
        eager.take(eager.tensor(A), eager.tensor([6]))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_index_fill_with_a_number_and_a_tensor_value(dim):
    index = np.array([0, -1, 0])
    same(lambda lib, x, i: x.index_fill(dim, i, -2.5), A, index, grad=True)
    same(lambda lib, x, i: lib.index_fill(x, dim, i, lib.tensor(7.0)), A, index)
    same(lambda lib, x, i: x.clone().index_fill_(dim, i, 1.0), A, index)


def test_index_fill_value_gradient_and_int_tensors():
    same(lambda lib, x, v: x.index_fill(1, lib.tensor([2]), v), A, np.array(0.5, np.float32),
         grad=True)
    same(lambda lib, x: x.index_fill(0, lib.tensor(2), 2.7), np.arange(6))


def test_index_fill_errors():
    same_error(IndexError, lambda lib, x: x.index_fill(1, lib.tensor([1], dtype=lib.int32), 0.0),
               A)
    for bad in (3, -4):  # outside [-3, 3) for a dim of 3
        with pytest.raises(IndexError):
            torch.tensor(A).index_fill(1, torch.tensor([bad]), 0.0)
        with pytest.raises(IndexError, match="out of range"):
            eager.tensor(A).index_fill(1, eager.tensor([bad]), 0.0)


@pytest.mark.parametrize("shape,wrap", [((3, 4), False), ((4, 3), False), ((7, 3), True),
                                        ((7, 3), False), ((3, 3, 3), False), ((2, 6), True)])
def test_fill_diagonal_(shape, wrap):
    x = RNG.standard_normal(shape).astype(np.float32)

    def call(lib, t):
        y = t.clone()
        out = y.fill_diagonal_(-1.5, wrap=wrap)
        assert out is y
        return y

    same(call, x)
    same(lambda lib, t: (t * 2).fill_diagonal_(0.0) * t, x, grad=True)


def test_fill_diagonal_errors():
    same_error(RuntimeError, lambda lib, t: t.fill_diagonal_(1.0), C)
    same_error(RuntimeError, lambda lib, t: t.fill_diagonal_(1.0),
               np.zeros((2, 3, 2), np.float32))


def test_baddbmm_addbmm_addmv_addr():
    b1 = RNG.standard_normal((3, 2, 4)).astype(np.float32)
    b2 = RNG.standard_normal((3, 4, 5)).astype(np.float32)
    inp = RNG.standard_normal((2, 5)).astype(np.float32)
    same(lambda lib, i, x, y: lib.baddbmm(i, x, y, beta=0.5, alpha=2.0), inp, b1, b2, grad=True)
    same(lambda lib, i, x, y: i.baddbmm(x, y), inp, b1, b2)
    same(lambda lib, i, x, y: lib.addbmm(i, x, y, alpha=-1), inp, b1, b2, grad=True)
    same(lambda lib, i, m, v: lib.addmv(i, m, v, beta=2, alpha=0.5), inp[:, 0], inp,
         b2[0, 0], grad=True)
    same(lambda lib, i, u, v: lib.addr(i, u, v, beta=0.25), inp, inp[:, 1], b2[0, 0],
         grad=True)


def test_beta_zero_ignores_nan_in_the_input():
    inp = np.full((2, 5), np.nan, np.float32)
    m = RNG.standard_normal((2, 3)).astype(np.float32)
    v = RNG.standard_normal(5).astype(np.float32)
    same(lambda lib, i, x, y: lib.addr(i, x, y, beta=0), inp, m[:, 0], v)


@pytest.mark.parametrize("a,b", [
    (np.array([-7, 7, 6, -6, 5, 0]), np.array([2, -2, 3, 4, -1, 3])),
    (np.array([-7.5, 7.0, 6.25, -6.0]), np.array([2.0, -2.0, 0.5, 4.0], np.float32)),
    (np.array([-7, 7], np.int32), np.array([2.5, -2.0])),
])
def test_div_trunc(a, b):
    same(lambda lib, x, y: lib.div(x, y, rounding_mode="trunc"), a, b)
    same(lambda lib, x, y: x.div(y, rounding_mode="trunc"), a, b)
    same(lambda lib, x: x.div(3, rounding_mode="trunc"), a)
    same(lambda lib, x: lib.div(x, 2, rounding_mode="floor"), a)


def test_div_trunc_gradient_is_zero_and_bad_mode_is_torchs_error():
    same(lambda lib, x, y: lib.div(x, y, rounding_mode="trunc"), A, A + 3, grad=True)
    same_error(RuntimeError, lambda lib, x: lib.div(x, 2, rounding_mode="round"), A)
    same_error(RuntimeError, lambda lib, x: x.div(2, rounding_mode="Trunc"), A)
