"""The restricted pickle reader's container opcodes (APPEND(S), SETITEM(S)): they fill lists
and dicts as pickle does, and are refused, naming the opcode and the object, on anything
else (a crafted pickle must not reach another type's methods)."""

from __future__ import annotations

import pytest

from eager.serialization.pickle_reader import UnsafePickleError, read_pickle


@pytest.mark.parametrize("data,want", [
    (b"\x80\x02](K\x01K\x02eK\x03a.", [1, 2, 3]),
    (b"\x80\x02}(K\x01K\x02uK\x03K\x04s.", {1: 2, 3: 4}),
], ids=["list", "dict"])
def test_containers_are_filled(data, want):
    assert read_pickle(data, {}, None) == want


@pytest.mark.parametrize("data,message", [
    (b"\x80\x02}K\x01a.", "APPEND on a dict"),
    (b"\x80\x02}(K\x01e.", "APPENDS on a dict"),
    (b"\x80\x02]K\x01K\x02s.", "SETITEM on a list"),
    (b"\x80\x02}(K\x01u.", "SETITEMS on a dict with 1 items"),
    (b"\x80\x02}(]K\x01u.", "a dict key of type list is not hashable"),
], ids=["append", "appends", "setitem", "setitems-odd", "unhashable-key"])
def test_container_opcodes_on_the_wrong_object_are_refused(data, message):
    with pytest.raises(UnsafePickleError, match=f"^{message}$"):
        read_pickle(data, {}, None)
