"""Loading files that were truncated, tampered with or crafted: static.load and eager.load
reject each with their own error type and a message saying what is wrong, and never run code
from the file (no pickle: a payload that would write a marker file never does)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import numpy as np
import pytest

import eager
import eager.nn as nn
import static
from eager.serialization import CheckpointError
from static import SerializationError


class _Payload:
    """Unpickling this would create ``path``: proof that code from the file ran."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _saved_graph(tmp_path):
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        w = static.variable(np.ones((2, 1), np.float32), name="w")
        static.matmul(x, w)
    return static.save(g, tmp_path / "m")


def _resign(path, name: str) -> None:
    """Rewrite the manifest entry for ``name``: an attacker can, so checksums alone don't do."""
    manifest = json.loads((path / "manifest.json").read_text())
    data = (path / name).read_bytes()
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (path / "manifest.json").write_text(json.dumps(manifest))


# -- static.load ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["graph.json", "variables.npz"])
def test_static_truncated_file_is_rejected(tmp_path, name):
    path = _saved_graph(tmp_path)
    data = (path / name).read_bytes()
    (path / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(SerializationError, match=rf"{name} is {len(data) // 2} bytes, the "
                                                 rf"manifest says {len(data)} \(truncated"):
        static.load(path)


def test_static_edited_file_is_rejected_by_checksum(tmp_path):
    path = _saved_graph(tmp_path)
    text = (path / "graph.json").read_text().replace('"matmul"', '"matmux"')
    (path / "graph.json").write_text(text)
    with pytest.raises(SerializationError, match=r"checksum mismatch for .*graph.json"):
        static.load(path)


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["nodes"][2].update(op="__import__('os').system"),
     r"unknown op \"__import__\('os'\).system\""),
    (lambda d: d["nodes"][2].update(op="exec"), r"unknown op 'exec'"),
    (lambda d: d["nodes"][2].update(inputs=[0, 5]), r"node reference 5 does not name an earlier"),
    (lambda d: d["nodes"][2].update(shape=[7, 1]), r"is saved as f32\[7,1\] but its shape rule "
                                                   r"gives f32\[\?,1\]"),
    (lambda d: d["nodes"][2]["attrs"].update(evil={"pickle": "gASV"}),
     r"unrecognized value \{'pickle'"),
    (lambda d: d["nodes"].__setitem__(0, ["not", "a", "dict"]),
     r"node 0 \(None\): an entry is an object with the fields"),
    (lambda d: d.update(version=99), r"format version 99"),
])
def test_static_tampered_and_resigned_graph_is_rejected(tmp_path, edit, message):
    path = _saved_graph(tmp_path)
    doc = json.loads((path / "graph.json").read_text())
    edit(doc)
    (path / "graph.json").write_text(json.dumps(doc))
    _resign(path, "graph.json")
    with pytest.raises(SerializationError, match=message):
        static.load(path)


def _nested_json(file) -> None:
    file.write_text("[" * 100_000 + "]" * 100_000)


def _pickled_values(file) -> None:
    with open(file, "wb") as f:
        np.savez(f, n1=np.array([_Payload(str(file.parent.parent / "pwned"))], dtype=object))


def _huge_npy() -> bytes:
    """An .npy member announcing 10**12 float32 elements and holding 8 bytes."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
    return b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\0" * 8


def _forged_npy_size(file) -> None:
    with zipfile.ZipFile(file, "w") as zf:
        zf.writestr("n1.npy", _huge_npy())


def _short_npy(file) -> None:
    with zipfile.ZipFile(file, "w") as zf:
        buf = io.BytesIO()
        np.save(buf, np.ones((2, 1), np.float32))
        zf.writestr("n1.npy", buf.getvalue()[:-4])


# A file of the save crafted and re-signed (checksums match): what load must say of each.
FORGED = {
    "deeply-nested-json": ("graph.json", _nested_json,
                           r"graph.json is not valid JSON \(maximum recursion depth"),
    "pickled-values": ("variables.npz", _pickled_values, "Object arrays cannot be loaded"),
    # rejected before allocating the announced array
    "npy-header-too-large": ("variables.npz", _forged_npy_size,
                             r"'n1.npy' announces 1000000000000 elements, over the limit"),
    "npy-more-bytes-than-stored": ("variables.npz", _short_npy,
                                   r"announces float32\(2, 1\) but holds 4 bytes"),
}


@pytest.mark.parametrize("case", list(FORGED))
def test_static_forged_and_resigned_file_is_rejected_and_runs_nothing(tmp_path, case):
    member, forge, message = FORGED[case]
    path = _saved_graph(tmp_path)
    forge(path / member)
    _resign(path, member)
    with pytest.raises(SerializationError, match=message):
        static.load(path)
    assert not (tmp_path / "pwned").exists()


def test_static_missing_manifest_is_rejected(tmp_path):
    path = _saved_graph(tmp_path)
    (path / "manifest.json").unlink()
    with pytest.raises(SerializationError, match="manifest.json is missing"):
        static.load(path)


# -- eager.load -----------------------------------------------------------------------------------

def _checkpoint(tmp_path):
    eager.manual_seed(0)
    path = tmp_path / "model.npz"
    eager.save(nn.Linear(2, 1).state_dict(), path)
    return path


def test_eager_truncated_checkpoint_is_rejected(tmp_path):
    path = _checkpoint(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"model.npz is not a checkpoint written by "
                                              r"eager.save \(BadZipFile"):
        eager.load(path)


def test_eager_checkpoint_error_prints_as_op_colon_detail(tmp_path):
    path = tmp_path / "text.npz"
    path.write_text("not a zip at all")
    with pytest.raises(CheckpointError) as info:
        eager.load(path)
    assert str(info.value).startswith("load: ")


def test_eager_foreign_file_is_rejected(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, weight=np.ones(3))
    with pytest.raises(CheckpointError, match=r"is an .npz file but not one written by "
                                              r"eager.save \(no structure record\)"):
        eager.load(path)
    text = tmp_path / "text.npz"
    text.write_text("not a zip at all")
    with pytest.raises(CheckpointError, match="is not a checkpoint written by eager.save"):
        eager.load(text)


def test_eager_pickle_payload_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    structure = json.dumps({"format": 1, "tree": {"t": "ndarray", "k": "w", "rg": False}})
    np.savez(path, w=np.array([_Payload(str(marker))], dtype=object),
             __dualgraph_structure__=np.array(structure))
    with pytest.raises(CheckpointError, match="Object arrays cannot be loaded when "
                                              "allow_pickle=False"):
        eager.load(path)
    assert not marker.exists()


def _tampered(tmp_path, tree) -> str:
    path = tmp_path / "tampered.npz"
    np.savez(path, w=np.ones(2, np.float32),
             __dualgraph_structure__=np.array(json.dumps({"format": 1, "tree": tree})))
    return path


@pytest.mark.parametrize("tree, message", [
    ({"t": "tensor", "k": "nope", "rg": False}, r"array 'nope' is missing"),
    ({"t": "exec", "v": "import os"}, r"unknown entry kind 'exec'"),
])
def test_eager_tampered_structure_is_rejected(tmp_path, tree, message):
    with pytest.raises(CheckpointError, match=message):
        eager.load(_tampered(tmp_path, tree))


@pytest.mark.parametrize("tree", [
    {"t": "dict", "items": 5},
    {"t": "tensor"},
    ["not", "a", "dict"],
    {"t": "list", "items": [{"t": "v"}]},
])
def test_eager_malformed_structure_is_a_checkpoint_error(tmp_path, tree):
    with pytest.raises(CheckpointError, match="damaged"):
        eager.load(_tampered(tmp_path, tree))


def test_eager_deeply_nested_structure_is_a_checkpoint_error(tmp_path):
    path = tmp_path / "deep.npz"
    np.savez(path, __dualgraph_structure__=np.array("[" * 100_000 + "]" * 100_000))
    with pytest.raises(CheckpointError):
        eager.load(path)


def test_eager_forged_npy_header_is_rejected_before_allocating(tmp_path):
    path = tmp_path / "forged.npz"
    structure = json.dumps({"format": 1, "tree": {"t": "ndarray", "k": "w", "rg": False}})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("w.npy", _huge_npy())
        buf = io.BytesIO()
        np.save(buf, np.array(structure))
        zf.writestr("__dualgraph_structure__.npy", buf.getvalue())
    with pytest.raises(CheckpointError, match="1000000000000"):
        eager.load(path)
