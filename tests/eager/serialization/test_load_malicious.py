"""Crafted checkpoints: a pickle naming os.system, opcodes outside the allowed set, storages
whose size does not match, tensors reaching outside their storage. Each is a clear
CheckpointError and nothing runs."""

from __future__ import annotations

import io
import os
import pickle
import zipfile

import pytest

import eager
from eager.serialization import CheckpointError
from shared_ops import limits


def _saved(obj) -> bytes:
    buf = io.BytesIO()
    eager.save(obj, buf)
    return buf.getvalue()


def _rewrite(archive: bytes, member: str, change) -> io.BytesIO:
    """The archive with ``member``'s bytes replaced by ``change(old_bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename == member else data)
    out.seek(0)
    return out


class _Payload:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_pickle_naming_os_system_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    evil = pickle.dumps({"w": _Payload(str(marker))}, protocol=2)
    f = _rewrite(_saved({"w": eager.ones(1)}), "archive/data.pkl", lambda _: evil)
    with pytest.raises(CheckpointError, match=r"names the global '(os|posix)\.system', which "
                                              r"is not one a checkpoint may use"):
        eager.load(f, weights_only=False)
    assert not marker.exists()


@pytest.mark.parametrize("payload, opcode", [
    (b"\x80\x02(ccollections\nOrderedDict\no.", "b'o'"),  # OBJ: builds an instance
    (b"\x80\x02(i__builtin__\nlist\n.", "b'i'"),        # INST
    (b"\x80\x02cbuiltins\nlist\n)\x81.", None),         # names a global outside the table
])
def test_opcodes_and_globals_outside_the_allowed_set_are_refused(payload, opcode):
    f = _rewrite(_saved({}), "archive/data.pkl", lambda _: payload)
    with pytest.raises(CheckpointError) as info:
        eager.load(f)
    text = str(info.value)
    assert "refused to load" in text
    assert (f"opcode {opcode}" in text and "is not allowed") if opcode else "builtins.list" in text


def test_a_storage_whose_size_does_not_match_its_member_is_refused():
    f = _rewrite(_saved({"w": eager.ones(4)}), "archive/data/0", lambda b: b[:-4])
    with pytest.raises(CheckpointError, match=r"storage '0' announces 4 elements of float32 "
                                              r"\(16 bytes\) but its member holds 12 bytes"):
        eager.load(f)


def test_a_storage_over_the_element_limit_is_refused_before_reading():
    data = _saved({"w": eager.ones(50)})
    with limits.max_elements(10), pytest.raises(CheckpointError, match="over the limit of 10"):
        eager.load(io.BytesIO(data))


def test_a_tensor_reaching_outside_its_storage_is_refused():
    # size (3,) -> (9,) over a storage of 3 elements
    f = _rewrite(_saved({"w": eager.ones(3)}), "archive/data.pkl",
                 lambda b: b.replace(b"K\x03t\x8c", b"K\x09t\x8c").replace(b"(K\x03t", b"(K\x09t"))
    with pytest.raises(CheckpointError, match="reaches element 8 of a storage of 3"):
        eager.load(f)


def test_truncated_and_unbalanced_pickles_are_refused():
    good = _saved({"w": eager.ones(2)})
    for change in (lambda b: b[: len(b) // 2], lambda b: b[:-1] + b"0."):
        with pytest.raises(CheckpointError, match="refused to load"):
            eager.load(_rewrite(good, "archive/data.pkl", change))


def test_not_a_zip_and_torchs_legacy_format_are_named(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a checkpoint")
    with pytest.raises(CheckpointError, match="notes.txt is not a checkpoint written by "
                                              "eager.save"):
        eager.load(text)
    legacy = tmp_path / "legacy.pt"
    legacy.write_bytes(pickle.dumps(119547037146038801333356, protocol=2))
    with pytest.raises(CheckpointError, match="legacy .pre-1.6, non-zip. format"):
        eager.load(legacy)
