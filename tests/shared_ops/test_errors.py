"""Every category of bad input raises the project's error type, and its message names the op,
the shapes (or dtype) received, and the caller's own file:line (this file's)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import shared_ops as ops
from shared_ops import Aval
from shared_ops.errors import DTypeError, OpError, OpIndexError, OpValueError, ShapeError


def _next_line() -> int:
    """The line after the caller's: where the failing call is written."""
    return sys._getframe(1).f_lineno + 1


def _check(info, message: str, line: int, function: str) -> None:
    text = str(info.value)
    assert text.startswith(message), text
    assert text.endswith(f"test_errors.py:{line} in {function}"), text


def test_broadcast_error_names_shapes_and_line():
    with pytest.raises(ShapeError) as info:
        line = _next_line()
        ops.add(np.ones((3, 4)), np.ones(5))
    _check(info, "add: shapes (3, 4) and (5,) cannot broadcast (dimension -1: 4 vs 5)", line,
           "test_broadcast_error_names_shapes_and_line")
    assert isinstance(info.value, ValueError)  # catchable as the builtin too


def test_matmul_alignment_message():
    with pytest.raises(ShapeError) as info:
        line = _next_line()
        ops.matmul(np.ones((32, 10)), np.ones((5, 1)))
    _check(info, "matmul: shapes (32, 10) and (5, 1) do not align (10 != 5)", line,
           "test_matmul_alignment_message")


def test_matmul_rule_catches_it_with_unknown_batch():
    f32 = np.dtype("float32")
    with pytest.raises(ShapeError, match=r"matmul: shapes \(\?, 10\) and \(5, 1\) do not align"):
        ops.matmul.shape_rule(Aval((None, 10), f32), Aval((5, 1), f32))


def test_reshape_size_mismatch():
    with pytest.raises(ShapeError) as info:
        line = _next_line()
        ops.reshape(np.ones((2, 3)), shape=(4, -1))
    _check(info, "reshape: cannot reshape (2, 3) (size 6) into (4, -1)", line,
           "test_reshape_size_mismatch")


def test_reduction_axis_out_of_range():
    with pytest.raises(OpIndexError) as info:
        line = _next_line()
        ops.sum(np.ones((2, 3)), axis=2)
    _check(info, "sum: axis 2 is out of range for a 2-d input", line,
           "test_reduction_axis_out_of_range")


def test_composite_names_itself_first():
    with pytest.raises(OpIndexError) as info:
        line = _next_line()
        ops.mean(np.ones((2, 3)), axis=-3)
    _check(info, "mean -> sum: axis -3 is out of range for a 2-d input", line,
           "test_composite_names_itself_first")


def test_index_out_of_bounds():
    with pytest.raises(OpIndexError) as info:
        line = _next_line()
        ops.getitem(np.ones((3, 2)), (slice(None), 2))
    _check(info, "getitem -> index: index 2 is out of bounds for axis 1 with size 2", line,
           "test_index_out_of_bounds")
    assert isinstance(info.value, IndexError)


def test_index_array_out_of_bounds_keeps_numpy_detail():
    # Only the values know: the shape rule accepts, so NumPy's own words are kept.
    with pytest.raises(OpError) as info:
        line = _next_line()
        ops.getitem(np.ones(3), np.array([0, 5]))
    _check(info, "getitem -> index: failed on shapes (3,) and (2,)", line,
           "test_index_array_out_of_bounds_keeps_numpy_detail")
    assert "index 5 is out of bounds" in str(info.value)


def test_zero_slice_step():
    with pytest.raises(OpValueError) as info:
        line = _next_line()
        ops.getitem(np.ones(3), slice(None, None, 0))
    _check(info, "getitem: slice step cannot be zero", line, "test_zero_slice_step")


def test_mask_shape_mismatch():
    with pytest.raises(OpIndexError, match=r"boolean mask of shape \(2,\) does not match"):
        ops.getitem(np.ones((3, 2)), np.array([True, False]))


def test_concat_mismatch():
    with pytest.raises(ShapeError) as info:
        line = _next_line()
        ops.concat([np.ones((2, 3)), np.ones((3, 3))], axis=1)
    _check(info, "concat: shapes (2, 3) and (3, 3) differ outside axis 1", line,
           "test_concat_mismatch")


def test_where_needs_bool_condition():
    with pytest.raises(DTypeError) as info:
        line = _next_line()
        ops.where(np.ones(3), np.ones(3), np.zeros(3))
    _check(info, "where: condition must be bool, got float64", line,
           "test_where_needs_bool_condition")


def test_bad_attribute_values():
    with pytest.raises(OpValueError, match="pad: pad widths must be non-negative"):
        ops.pad(np.ones(3), pad_width=((-1, 0),))
    with pytest.raises(OpValueError, match=r"transpose: axes \(0, 0\) are not a permutation"):
        ops.transpose(np.ones((2, 2)), axes=(0, 0))
    with pytest.raises(OpIndexError, match="one_hot: class index 4 is out of range"):
        ops.one_hot(np.array([1, 4]), num_classes=3)


@pytest.mark.parametrize("bad, name", [(np.array(["a", "b"]), "<U1"),
                                       (np.array([object(), 1], dtype=object), "object")])
def test_unsupported_dtypes_are_named(bad, name):
    with pytest.raises(DTypeError) as info:
        line = _next_line()
        ops.add(bad, 1)
    _check(info, f"add: unsupported dtype {name}", line, "test_unsupported_dtypes_are_named")


def test_bool_arithmetic_refused_where_meaningless():
    with pytest.raises(DTypeError, match="sub: not defined for bool inputs"):
        ops.sub(np.array([True]), np.array([False]))
    with pytest.raises(DTypeError, match="pow: not defined for bool inputs"):
        ops.pow(np.array([True]), np.array([False]))
    with pytest.raises(DTypeError, match="neg: not defined for bool inputs"):
        ops.neg(np.array([True]))


def test_errors_pickle():
    import pickle

    with pytest.raises(ShapeError) as info:
        ops.add(np.ones(2), np.ones(3))
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value) and type(again) is ShapeError


def test_squeeze_all_refuses_unknown_dims():
    # An unknown dim could be 1 at run time; the graph's rank would then be wrong.
    f32 = np.dtype("float32")
    with pytest.raises(ShapeError, match=r"squeeze: axis=None needs known dims, got \(\?, 1\)"):
        ops.squeeze.shape_rule(Aval((None, 1), f32))
    assert ops.squeeze.shape_rule(Aval((None, 1), f32), axis=1) == Aval((None,), f32)
