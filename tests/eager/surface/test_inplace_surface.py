"""The written-back in-place methods (abs_, floor_, addcmul_, index_add_, ...), copy_ across
dtypes and the new_* creation methods, against torch."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager
from shared_ops.tensor_api_inplace import INPLACE

RNG = np.random.default_rng(1604)
S = RNG.standard_normal((3, 4)).astype(np.float32) * 3
POS = RNG.uniform(0.5, 2.0, (3, 4)).astype(np.float32)

# name -> (arguments after self, as lib -> tuple, data for self)
UNARY = ["abs_", "absolute_", "floor_", "ceil_", "round_", "trunc_", "fix_", "frac_", "sin_",
         "cos_", "tanh_", "sigmoid_", "sign_", "square_", "logical_not_"]
POSITIVE = ["log_", "log2_", "log10_", "log1p_", "sqrt_", "rsqrt_", "reciprocal_"]


def test_every_listed_form_exists_in_torch_and_eager():
    assert all(hasattr(torch.Tensor, n) and hasattr(eager.Tensor, n) for n in INPLACE)


@pytest.mark.parametrize("name", UNARY + POSITIVE)
def test_unary_forms_write_into_the_same_tensor(name):
    data = POS if name in POSITIVE else S

    def call(lib, x):
        y = x.clone()
        out = getattr(y, name)()
        assert out is y
        return y

    same(call, data)


@pytest.mark.parametrize("name", ["floor_", "sqrt_", "sigmoid_", "clamp_min_"])
def test_forms_on_a_recorded_tensor_differentiate_as_torch(name):
    args = (0.3,) if name == "clamp_min_" else ()
    same(lambda lib, x: getattr(x * 2, name)(*args) * x, POS, grad=True)


def test_binary_and_ternary_forms():
    b, c = RNG.standard_normal(4).astype(np.float32), POS[:, :1]
    same(lambda lib, x, y, z: x.clone().addcmul_(y, z, value=0.5), S, b, c)
    same(lambda lib, x, y, z: x.clone().addcdiv_(y, z), S, b, c)
    same(lambda lib, x, y: x.clone().lerp_(y, 0.3), S, b)
    same(lambda lib, x: x.clone().clamp_max_(0.0), S)
    same(lambda lib, x, y: x.clone().logical_and_(y), S, b)
    same(lambda lib, x, y: x.clone().remainder_(y), S, POS)
    same(lambda lib, x, a, m: x.clone().addmm_(a, m, beta=0.5), S, S[:, :2], POS[:2])


def test_index_add_in_place_and_as_a_function():
    index = np.array([2, 0, 2])
    same(lambda lib, x, i, s: x.clone().index_add_(1, i, s, alpha=2), S, index, POS[:, :3])
    same(lambda lib, x, i, s: lib.index_add(x, 0, i, s), S, index, POS, grad=True)
    same(lambda lib, x, i, s: x.index_add(-1, i, s), np.zeros((2, 3), np.int64), index,
         np.ones((2, 3), np.int64))


def test_a_leaf_that_requires_grad_is_refused():
    for lib in (torch, eager):
        x = lib.tensor([1.5, -2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x.abs_()


def test_a_float_result_cannot_go_into_an_int_tensor():
    same_error(RuntimeError, lambda lib, x: x.sqrt_(), np.array([1, 4]), match_message=False)


@pytest.mark.parametrize("src", [np.array([1.7, -2.7, 3.5], np.float32), np.array([True, False,
                                                                                     True])])
def test_copy_casts_into_the_destination_dtype(src):
    same(lambda lib, dst, s: dst.copy_(s), np.array([9, 9, 9]), src)
    same(lambda lib, dst, s: dst.copy_(s), np.zeros((2, 3), np.float64), src)  # broadcast


@pytest.mark.parametrize("name,args", [("new_empty", ((2, 3),)), ("new_zeros", (2, 3)),
                                       ("new_ones", ((4,),)), ("new_full", ((2,), 7))])
def test_new_creation_methods_keep_dtype_unless_told(name, args):
    for lib in (torch, eager):
        x = lib.tensor([1, 2])
        y = getattr(x, name)(*args)
        z = getattr(x, name)(*args, dtype=lib.float64)
        assert str(y.dtype) == "torch.int64" and str(z.dtype) == "torch.float64"
        assert tuple(y.shape) == tuple(z.shape) == (tuple(args[0]) if name != "new_zeros"
                                                     else args)
    same(lambda lib, x: x.new_full((2,), 7), np.array([1.0]))
    same(lambda lib, x: x.new_tensor([1, 2]), np.array([1.0], np.float32))
