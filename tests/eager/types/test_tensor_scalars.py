"""Sizes and Python values of tensors (element_size, item, tolist, numpy, dim, numel...) and
printing suffixes, against torch, over 0-d, bool, integer and floating tensors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

DATA = [3.5, True, 7, [1, 2], [[1.5, 2.0]], [[True], [False]], [], np.array(2, np.int32),
        np.array([1, 2], np.uint8), np.array([0.5], np.float16), np.array([[1.0]], np.float64),
        np.array([-3, 4], np.int8), np.array([300], np.int16)]
METHODS = ["element_size", "dim", "ndimension", "numel", "nelement", "tolist", "is_signed",
           "is_complex", "is_floating_point"]


def _pair(data):
    return eager.tensor(data), torch.tensor(data)


@pytest.mark.parametrize("data", DATA, ids=range(len(DATA)))
@pytest.mark.parametrize("method", METHODS)
def test_method_matches_torch(data, method):
    ours, theirs = _pair(data)
    a, b = getattr(ours, method)(), getattr(theirs, method)()
    assert a == b and type(a) is type(b)


@pytest.mark.parametrize("data", DATA, ids=range(len(DATA)))
def test_item_numpy_and_repr_match_torch(data):
    ours, theirs = _pair(data)
    assert (ours.itemsize, ours.nbytes) == (theirs.itemsize, theirs.nbytes)
    assert repr(ours) == repr(theirs)
    assert str(ours.dtype) == str(theirs.dtype) and ours.ndim == theirs.ndim
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert (ours.numpy().dtype, ours.numpy().shape) == (theirs.numpy().dtype, theirs.numpy().shape)
    if theirs.numel() == 1:
        a, b = ours.item(), theirs.item()
        assert a == b and type(a) is type(b)
    else:
        with pytest.raises(RuntimeError) as err:
            ours.item()
        with pytest.raises(RuntimeError) as theirs_err:
            theirs.item()
        assert str(err.value) == str(theirs_err.value)


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([1.0, 2.0], requires_grad=True) + 1,
    lambda lib: lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True) * 2,
    lambda lib: lib.tensor([1.0, 2.0], dtype=lib.float16),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32),
    lambda lib: lib.tensor([], dtype=lib.int64),
    lambda lib: lib.tensor([], dtype=lib.float64),
    lambda lib: lib.zeros(0, 3, dtype=lib.int16),
    lambda lib: lib.tensor(True),
    lambda lib: lib.tensor([1, 2]).sum(),
])
def test_suffixes_match_torch(make):
    assert repr(make(eager)) == repr(make(torch))
