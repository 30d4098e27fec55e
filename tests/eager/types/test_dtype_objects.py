"""eager's dtype objects against torch's: names, printing, attributes, equality, NumPy interop,
finfo/iinfo and the default dtype."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

# Every dtype name both libraries export (aliases included).
NAMES = ["float16", "half", "float32", "float", "float64", "double", "uint8", "int8", "int16",
         "short", "int32", "int", "int64", "long", "bool"]


@pytest.mark.parametrize("name", NAMES)
def test_name_prints_and_behaves_as_torchs(name):
    ours, theirs = getattr(eager, name), getattr(torch, name)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert isinstance(ours, eager.dtype)
    for attr in ("is_floating_point", "is_complex", "is_signed", "itemsize"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.abbr == theirs.abbr
    assert ours.to_real() is ours


@pytest.mark.parametrize("name", NAMES)
def test_tensor_dtype_is_the_named_object(name):
    t = eager.zeros(2, dtype=getattr(eager, name))
    assert t.dtype is getattr(eager, name)
    assert str(t.dtype) == str(torch.zeros(2, dtype=getattr(torch, name)).dtype)


def test_equality_and_hashing():
    assert eager.float == eager.float32 and eager.float32 != eager.float64
    assert eager.float32 != "float32" and eager.float32 != "torch.float32"  # as torch
    assert eager.float32 is not None and eager.float32 != None  # noqa: E711
    assert eager.float64 != float and torch.float64 != float  # noqa: E721
    # NumPy interop: equal to the NumPy dtype and scalar type, same hash, either side.
    assert eager.float32 == np.float32 and np.dtype(np.float32) == eager.float32
    assert eager.int64 != np.int32 and hash(eager.int64) == hash(np.dtype(np.int64))
    assert {np.dtype(np.float32): "f"}[eager.float32] == "f"
    assert len({eager.float32, eager.float, eager.float64}) == 2


def test_numpy_takes_it_as_a_dtype():
    assert np.asarray([1, 2], dtype=eager.float32).dtype == np.float32
    assert np.zeros(3, eager.int16).dtype == np.int16
    assert np.dtype(eager.bool) == np.bool_ and eager.float64.numpy_dtype == np.float64
    # .numpy() keeps its NumPy dtype
    assert type(eager.ones(2, dtype=eager.int32).numpy().dtype) is type(np.dtype(np.int32))


def test_not_constructible_picklable_and_copied_as_itself():
    with pytest.raises(TypeError, match="cannot create 'torch.dtype' instances"):
        eager.dtype("float32")
    with pytest.raises(AttributeError, match="not writable"):
        eager.float32.itemsize = 8
    for d in (eager.float32, eager.bool, eager.uint8):
        assert pickle.loads(pickle.dumps(d)) is d
        assert copy.copy(d) is d and copy.deepcopy(d) is d


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name):
    ours, theirs = eager.finfo(getattr(eager, name)), torch.finfo(getattr(torch, name))
    assert repr(ours) == repr(theirs)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert repr(eager.finfo()) == repr(torch.finfo())


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name):
    ours, theirs = eager.iinfo(getattr(eager, name)), torch.iinfo(getattr(torch, name))
    assert repr(ours) == repr(theirs)
    for attr in ("bits", "max", "min", "dtype"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
        assert type(getattr(ours, attr)) is type(getattr(theirs, attr)), attr


@pytest.mark.parametrize("call", [
    lambda lib: lib.finfo(lib.int32), lambda lib: lib.iinfo(lib.float32),
    lambda lib: lib.iinfo(lib.bool), lambda lib: lib.finfo("float32"),
    lambda lib: lib.set_default_dtype(lib.int64)])
def test_info_and_default_dtype_errors_match_torch(call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(eager)
    assert str(ours.value) == str(theirs.value)


def test_default_dtype():
    assert eager.get_default_dtype() is eager.float32
    try:  # float64 is accepted (tests/eager/default_dtype checks what it changes)
        eager.set_default_dtype(eager.float64)
        assert eager.get_default_dtype() is eager.float64
    finally:
        eager.set_default_dtype(eager.float32)
    assert eager.is_floating_point(eager.zeros(1)) and not eager.is_floating_point(
        eager.zeros(1, dtype=eager.int64))


@pytest.mark.parametrize("name", ["int32", "float64", "float16", "uint8", "bool", "int64"])
def test_dtype_arguments_take_the_objects(name):
    ours, theirs = getattr(eager, name), getattr(torch, name)
    x, y = eager.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])
    for a, b in [(x.to(ours), y.to(theirs)), (x.to(dtype=ours), y.to(dtype=theirs)),
                 (eager.ones(2, dtype=ours), torch.ones(2, dtype=theirs)),
                 (eager.full((2,), 3, dtype=ours), torch.full((2,), 3, dtype=theirs)),
                 (eager.tensor([0, 2], dtype=ours), torch.tensor([0, 2], dtype=theirs))]:
        assert repr(a) == repr(b)
