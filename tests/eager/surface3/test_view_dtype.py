"""``Tensor.view(dtype)`` against torch: the bytes reinterpreted (the last dim scaled by the
ratio of the sizes), torch's errors where it cannot, shared memory, and no gradient."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

F = [[1.0, 2.0, -3.5, 0.25], [4.0, -0.0, 7.0, 1e-3]]


def _view(lib, data, dtype, src_dtype="float32", key=None):
    x = lib.tensor(data, dtype=getattr(lib, src_dtype))
    x = x if key is None else key(x)
    y = x.view(getattr(lib, dtype))
    return y.tolist(), str(y.dtype), list(y.shape)


@pytest.mark.parametrize("dtype", ["int32", "int16", "uint8", "int64", "float64", "float16",
                                   "float32", "bool"])
def test_float32_bytes_as(dtype):
    data = F if dtype != "bool" else [[1.0, 0.0, 1.0, 0.0]]  # bools: bytes 0/1 only
    if dtype == "bool":
        assert _view(eager, [[1, 0, 1, 1]], dtype, "uint8") == _view(torch, [[1, 0, 1, 1]],
                                                                     dtype, "uint8")
        return
    assert _view(eager, data, dtype) == _view(torch, data, dtype)


@pytest.mark.parametrize("key", [lambda x: x.t(), lambda x: x[:, 2:], lambda x: x[1]],
                         ids=["transposed-same-size", "column-slice", "row"])
def test_views_of_views(key):
    assert _view(eager, F, "int32", key=key) == _view(torch, F, "int32", key=key)
    if key(eager.ones(2, 4)).is_contiguous():
        assert _view(eager, F, "int16", key=key) == _view(torch, F, "int16", key=key)


@pytest.mark.parametrize("call", [
    lambda L: L.tensor([1.0, 2.0, 3.0]).view(L.int64),
    lambda L: L.tensor(1.0).view(L.int64),
    lambda L: L.tensor(F).t().view(L.int16),
    lambda L: L.arange(6.0)[1:5].view(L.float64),
], ids=["size", "0-d", "stride", "offset"])
def test_errors_match_torch(call):
    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(eager)
    assert str(theirs.value) in str(ours.value)


def test_shares_memory_and_has_no_gradient():
    x = eager.zeros(2, requires_grad=True)
    y = x.view(dtype=eager.int32)
    assert not y.requires_grad and y.grad_fn is None
    with eager.no_grad():
        y[0] = np.float32(1.0).view(np.int32)
    assert x.tolist() == [1.0, 0.0]


def test_shape_forms_still_work():
    x = eager.arange(6.0)
    assert [list(x.view(s).shape) for s in (-1, (3, 2), eager.Size([2, 3]))] == \
        [[6], [3, 2], [2, 3]]
