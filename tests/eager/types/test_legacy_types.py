"""Legacy tensor types (FloatTensor...) and tensor.type() against torch's."""

from __future__ import annotations

import numpy as np
import pytest
from same_error import assert_same_error

import eager

torch = pytest.importorskip("torch")

TYPES = ["FloatTensor", "DoubleTensor", "HalfTensor", "ByteTensor", "CharTensor",
         "ShortTensor", "IntTensor", "LongTensor", "BoolTensor"]
DTYPES = ["float32", "float64", "float16", "uint8", "int8", "int16", "int32", "int64", "bool"]


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("args", [([1, 0, 2],), ((1.7, 2.5),), ([[1, 2], [3, 4]],)])
def test_from_data(name, args):
    ours, theirs = getattr(eager, name)(*args), getattr(torch, name)(*args)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("args", [(), (2, 3), (0,), (lambda lib: lib.Size([2, 1]),)])
def test_from_sizes(name, args):
    for lib in (eager, torch):
        call = [a(lib) if callable(a) else a for a in args]
        t = getattr(lib, name)(*call)
        if lib is eager:
            ours = (repr(t.shape), repr(t.dtype))
        else:
            assert (repr(t.shape), repr(t.dtype)) == ours


def test_from_a_tensor_shares_storage():
    x = eager.tensor([1.0, 2.0])
    y = eager.FloatTensor(x)
    y[0] = 5.0
    assert x.tolist() == [5.0, 2.0]


@pytest.mark.parametrize("arg", [2.5, "a"])
def test_bad_data_raises_torchs_error(arg):
    assert_same_error(TypeError, lambda lib: lib.FloatTensor(arg))


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_isinstance_by_dtype(name, dtype):
    ours = isinstance(eager.zeros(2, dtype=getattr(eager, dtype)), getattr(eager, name))
    assert ours == isinstance(torch.zeros(2, dtype=getattr(torch, dtype)), getattr(torch, name))
    assert not isinstance([1.0], getattr(eager, name))


def test_parameters_are_instances_and_types_print_as_torchs():
    assert isinstance(eager.nn.Parameter(eager.zeros(2)), eager.FloatTensor)
    assert repr(eager.LongTensor) == repr(torch.LongTensor)


@pytest.mark.parametrize("dtype", DTYPES)
def test_type_names_and_converts(dtype):
    ours = eager.zeros(2, dtype=getattr(eager, dtype))
    theirs = torch.zeros(2, dtype=getattr(torch, dtype))
    assert ours.type() == theirs.type()
    for spec in ("LongTensor", "torch.IntTensor", "float64"):
        a = ours.type(getattr(eager, spec) if "." not in spec else spec)
        b = theirs.type(getattr(torch, spec) if "." not in spec else spec)
        assert repr(a) == repr(b)
    assert repr(ours.type(dtype=eager.float16)) == repr(theirs.type(dtype=torch.float16))


@pytest.mark.parametrize("spec", ["torch.Foo", "float32"])
def test_type_rejects_unknown_names_as_torch(spec):
    assert_same_error(ValueError, lambda lib: lib.zeros(1).type(spec))


@pytest.mark.parametrize("args", [(), (2, 3), (0,), ([1, 2],), ((2, 3),), ([[1.5], [2.0]],)])
def test_tensor_constructor_as_torchs(args):
    ours, theirs = eager.Tensor(*args), torch.Tensor(*args)
    assert (repr(ours.shape), repr(ours.dtype)) == (repr(theirs.shape), repr(theirs.dtype))
    if theirs.numel() and args and not isinstance(args[0], int):
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("arg", [2.5, "a"])
def test_tensor_constructor_errors_as_torchs(arg):
    assert_same_error(TypeError, lambda lib: lib.Tensor(arg))


def test_tensor_of_an_ndarray_wraps_it_keeping_its_dtype():
    # eager's own use (torch.Tensor would copy into float32): documented in TensorBase
    a = np.arange(3)
    t = eager.Tensor(a)
    assert t.numpy() is a and t.dtype is eager.int64
