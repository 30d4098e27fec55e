"""frombuffer, empty_strided, typename, is_storage, is_nonzero, Tensor.untyped_storage() and
Tensor.bfloat16() against torch (eager only: a graph value has no storage)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from surface_pairs import torch

import eager


def test_frombuffer_shares_a_writable_buffer():
    for lib in (eager, torch):
        data = bytearray(np.array([1, 2, 3], np.int32).tobytes())
        t = lib.frombuffer(data, dtype=lib.int32)
        assert t.tolist() == [1, 2, 3] and str(t.dtype).endswith("int32")
        t[0] = 5
        assert data[:4] == b"\x05\x00\x00\x00"  # the same memory, both ways
    data = bytearray(range(8))
    assert eager.frombuffer(data, dtype=eager.int8, count=3, offset=2).tolist() == \
        torch.frombuffer(data, dtype=torch.int8, count=3, offset=2).tolist()


def test_frombuffer_of_a_read_only_buffer_warns_as_torch():
    caught = {}
    for lib in (eager, torch):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            caught[lib.__name__] = (lib.frombuffer(b"abcd", dtype=lib.uint8).tolist(),
                                    str(record[0].message).split(" (Triggered")[0])
    assert caught["eager"] == caught["torch"]


@pytest.mark.parametrize("args", [dict(buffer=b""), dict(buffer=b"abc"),
                                  dict(buffer=b"abcdefgh", count=3),
                                  dict(buffer=b"abcdefgh", offset=9)], ids=str)
def test_frombuffer_errors(args):
    messages = []
    for lib in (eager, torch):
        with pytest.raises(ValueError) as info:
            lib.frombuffer(args["buffer"], dtype=lib.int32,
                           **{k: v for k, v in args.items() if k != "buffer"})
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_empty_strided():
    for size, stride in [((2, 3), (1, 2)), ((2, 3), (3, 1)), ((4,), (2,)), ((0, 2), (2, 1))]:
        ours = eager.empty_strided(size, stride, dtype=eager.float64, requires_grad=True)
        theirs = torch.empty_strided(size, stride, dtype=torch.float64, requires_grad=True)
        assert (ours.shape, ours.stride(), ours.is_contiguous(), ours.requires_grad) == \
            (theirs.shape, theirs.stride(), theirs.is_contiguous(), theirs.requires_grad)
    with pytest.raises(RuntimeError, match="dimensionality of sizes"):
        eager.empty_strided((2, 3), (1,))


def test_typename_and_is_storage():
    for make in (lambda L: L.ones(1), lambda L: L.ones(1, dtype=L.int64), lambda L: 1,
                 lambda L: L.nn.Linear(1, 1), lambda L: L.ones(2).untyped_storage()):
        ours, theirs = eager.typename(make(eager)), torch.typename(make(torch))
        assert ours == theirs.replace("torch.nn.modules.linear", "eager.nn.linear") or \
            ours.split(".")[-1] == theirs.split(".")[-1]
    assert eager.typename(eager.ones(1)) == "torch.FloatTensor"
    assert eager.is_storage(eager.ones(1).untyped_storage())
    assert not eager.is_storage(eager.ones(1)) and not torch.is_storage(torch.ones(1))


def test_is_nonzero():
    for data in ([0.0], 2, [[True]], [0]):
        assert eager.is_nonzero(eager.tensor(data)) == torch.is_nonzero(torch.tensor(data))
        assert eager.tensor(data).is_nonzero() == torch.tensor(data).is_nonzero()
    for data in ([], [1, 2]):
        with pytest.raises(RuntimeError) as ours:
            eager.is_nonzero(eager.tensor(data))
        with pytest.raises(RuntimeError) as theirs:
            torch.is_nonzero(torch.tensor(data))
        assert str(ours.value) == str(theirs.value)


def test_untyped_storage():
    for make in (lambda L: L.ones(2, 3), lambda L: L.ones(3, dtype=L.int8),
                 lambda L: L.zeros(0)):
        ours, theirs = make(eager).untyped_storage(), make(torch).untyped_storage()
        assert (ours.nbytes(), ours.size(), len(ours), ours.element_size(), str(ours.device),
                ours.is_shared(), ours.tolist()) == \
            (theirs.nbytes(), theirs.size(), len(theirs), theirs.element_size(),
             str(theirs.device), theirs.is_shared(), theirs.tolist())
        assert repr(ours) == repr(theirs)
    base = eager.arange(6.0)
    view = base[2:].reshape(2, 2)
    # A view's storage is its base's: the whole array, starting at the base's first element.
    assert view.untyped_storage().nbytes() == 24
    assert view.untyped_storage().data_ptr() == base.data_ptr()


def test_bfloat16_raises_as_every_bfloat16_conversion_here():
    with pytest.raises(TypeError, match="no bfloat16 type") as info:
        eager.ones(2).bfloat16()
    with pytest.raises(TypeError) as to_info:
        eager.ones(2).to(eager.bfloat16)
    assert str(info.value) == str(to_info.value)


def test_typed_storage_warns_and_lists_elements():
    for make in (lambda L: L.tensor([1.5, 2.0]), lambda L: L.arange(4.0)[1:3],
                 lambda L: L.tensor([1, 2]), lambda L: L.tensor([True])):
        seen = []
        for lib in (eager, torch):
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                s = make(lib).storage()
            messages = [str(w.message) for w in record]
            seen.append((repr(s), s.size(), len(s), str(s.dtype), s.element_size(), s.tolist(),
                         s[0], s.untyped().nbytes(), lib.is_storage(s), lib.typename(s)))
            # torch warns once a process: its message, when it comes, is eager's
            assert lib is torch or messages and "TypedStorage is deprecated" in messages[0]
        assert seen[0] == seen[1]


def test_pinning_on_a_cpu_build():
    assert eager.ones(2).is_pinned() is torch.ones(2).is_pinned() is False
    for lib in (eager, torch):
        with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is "
                                               "available."):
            lib.ones(2).pin_memory()


def test_storage_of_shared_memory_is_shared():
    for lib in (eager, torch):
        t = lib.ones(3)
        assert not t.untyped_storage().is_shared()
        assert t.share_memory_().untyped_storage().is_shared()
