"""PyTorch's checkpoint archive: a zip of ``<prefix>/data.pkl`` (the structure, a pickle),
``<prefix>/data/<key>`` (one raw little-endian storage per key), ``<prefix>/byteorder`` and
``<prefix>/version``.

`write_archive` writes what ``torch.load(path, weights_only=True)`` reads for tensors and
plain data; `read_archive` reads PyTorch's files (and ours) through the strict pickle reader
of `pickle_reader`, with only the globals of `tensor_globals` (and, for whole modules,
`module_records`) mapped to our own functions. Every storage's announced element count is
checked against the limit and against the bytes its member holds before anything is read;
every tensor's size, stride and offset must lie inside its storage.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import IO, Any

import numpy as np

from shared_ops import limits

from ..tensor_base import TensorBase
from .errors import CheckpointError
from .pickle_reader import MAX_PICKLE_BYTES, Global, UnsafePickleError, read_pickle
from .pickle_writer import PickleWriter
from .tensor_globals import STORAGE_NAMES, StorageRef, StorageType, tensor_globals

PREFIX = "archive"
_ALIGN = 64  # PyTorch aligns each storage's bytes to 64 in the zip (for mmap)
_VERSION = b"3\n"


def is_torch_archive(names: list[str]) -> bool:
    """True when a zip's member names are those of a PyTorch checkpoint."""
    return any(n.endswith("/data.pkl") and n.count("/") == 1 for n in names)


# --- writing -----------------------------------------------------------------------------------

class _Storages:
    """The storages an archive will hold: one per distinct base array (views share it)."""

    def __init__(self) -> None:
        # id(base array) -> (key, its elements as a flat array, the base kept alive)
        self.by_root: dict[int, tuple[str, np.ndarray, np.ndarray]] = {}

    def locate(self, arr: np.ndarray) -> tuple[str, np.ndarray, int, tuple]:
        """(key, storage elements, element offset, element strides) for ``arr``."""
        root = arr
        while isinstance(root.base, np.ndarray):
            root = root.base
        item = arr.dtype.itemsize
        offset = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        shareable = (root.flags.c_contiguous and root.dtype == arr.dtype
                     and arr.dtype.isnative and offset >= 0 and offset % item == 0
                     and all(s >= 0 and s % item == 0 for s in arr.strides))
        if shareable:
            strides = tuple(s // item for s in arr.strides)
        else:  # reversed or foreign strides: a contiguous copy of its own
            root, offset = np.ascontiguousarray(arr), 0
            strides = _contiguous_strides(arr.shape)
        entry = self.by_root.get(id(root))
        if entry is None:
            entry = self.by_root[id(root)] = (str(len(self.by_root)), root.reshape(-1), root)
        return entry[0], entry[1], offset // item, strides


def _contiguous_strides(shape: tuple) -> tuple:
    strides, step = [], 1
    for d in reversed(shape):
        strides.append(step)
        step *= max(d, 1)
    return tuple(reversed(strides))


def write_tensor(w: PickleWriter, storages: _Storages, arr: np.ndarray,
                 requires_grad: bool) -> None:
    """``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, {})``"""
    name = STORAGE_NAMES.get(arr.dtype.newbyteorder("=").name)
    if name is None:
        raise CheckpointError("save", f"cannot store a tensor of dtype {arr.dtype}")
    key, root, offset, strides = storages.locate(arr)
    w.global_("torch._utils", "_rebuild_tensor_v2")
    w.mark()
    w.persistent_id(("storage", _StorageName(name), key, "cpu", int(root.size)), _emit_name)
    w.integer(offset)
    w.value(tuple(int(d) for d in arr.shape), None)
    w.value(strides, None)
    w.value(bool(requires_grad), None)
    w.empty_ordered_dict()
    w.tuple_end()
    w.reduce()


class _StorageName:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def _emit_name(w: PickleWriter, v) -> bool:
    if isinstance(v, _StorageName):
        w.global_("torch", v.name)
        return True
    return False


def write_archive(obj: Any, emit_other) -> bytes:
    """The archive's bytes for ``obj``; ``emit_other(writer, storages, value)`` writes values
    that are neither plain data nor tensors (modules), returning False if it cannot."""
    storages = _Storages()

    def emit(w: PickleWriter, v) -> bool:
        if isinstance(v, TensorBase):
            if type(v).__name__ == "Parameter":
                w.global_("torch._utils", "_rebuild_parameter")
                w.mark()
                write_tensor(w, storages, v._data, False)
                w.value(bool(v.requires_grad), None)
                w.empty_ordered_dict()
                w.tuple_end()
                w.reduce()
            else:
                write_tensor(w, storages, v._data, v.requires_grad)
            return True
        if isinstance(v, np.ndarray):
            w.global_("eager.serialization", "rebuild_ndarray")
            w.mark()
            write_tensor(w, storages, v, False)
            w.tuple_end()
            w.reduce()
            return True
        return emit_other(w, emit, v)

    writer = PickleWriter()
    writer.value(obj, emit)
    members = [("data.pkl", writer.finish()), (".format_version", b"1"),
               (".storage_alignment", str(_ALIGN).encode()), ("byteorder", b"little")]
    for key, root, _ in storages.by_root.values():
        data = root if root.dtype.byteorder in "=|<" else root.astype(root.dtype.newbyteorder("<"))
        members.append((f"data/{key}", data.tobytes()))
    members.append(("version", _VERSION))
    return _zip_aligned(members)


def _zip_aligned(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(f"{PREFIX}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            full = info.filename.encode("utf-8")
            start = buf.tell() + 30 + len(full) + 4  # local header + name + extra's header
            pad = (-start) % _ALIGN
            info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
            zf.writestr(info, data)
    return buf.getvalue()


# --- reading -----------------------------------------------------------------------------------

def read_archive(zf: zipfile.ZipFile, name: str, extra_globals: dict,
                 map_location=None) -> Any:
    """The object stored in the PyTorch archive ``zf`` (``name``: the file, for errors)."""
    names = zf.namelist()
    pkl = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(pkl) != 1:
        raise CheckpointError("load", f"{name} is a zip but not a PyTorch checkpoint "
                              "(no single <name>/data.pkl)")
    prefix = pkl[0][:-len("data.pkl")]
    order = _byteorder(zf, prefix, name)
    storages: dict[str, StorageRef] = {}

    def persistent_load(pid):
        return _load_storage(zf, prefix, pid, storages, order, name, map_location)

    table = {**tensor_globals(), **extra_globals}
    data = _read_member(zf, pkl[0], name, limit=MAX_PICKLE_BYTES)
    try:
        return read_pickle(data, table, persistent_load)
    except UnsafePickleError as e:
        raise CheckpointError("load", f"{name}: refused to load: {e}") from None
    except RecursionError:
        raise CheckpointError("load", f"{name} is damaged: nested too deeply") from None
    except DeviceUnavailableError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, RuntimeError) as e:
        # A rebuild function or a Module refusing the values it was given: a damaged file.
        raise CheckpointError("load", f"{name} is damaged: {type(e).__name__}: {e}") from None


def _byteorder(zf: zipfile.ZipFile, prefix: str, name: str) -> str:
    member = prefix + "byteorder"
    if member not in zf.namelist():
        return "<"  # files older than the record: written little-endian
    raw = _read_member(zf, member, name, limit=16)
    if raw not in (b"little", b"big"):
        raise CheckpointError("load", f"{name} is damaged: byteorder is {raw[:16]!r}")
    return "<" if raw == b"little" else ">"


def _read_member(zf: zipfile.ZipFile, member: str, name: str, limit: int) -> bytes:
    info = zf.getinfo(member)
    if info.file_size > limit:
        raise CheckpointError("load", f"{name} is damaged: {member} holds {info.file_size} "
                              f"bytes, expected at most {limit}")
    return zf.read(member)


def _load_storage(zf, prefix: str, pid, storages: dict, order: str, name: str,
                  map_location) -> StorageRef:
    if isinstance(pid, tuple) and len(pid) == 5 and isinstance(pid[1], Global):
        pid = (pid[0], pid[1].fn, *pid[2:])  # GLOBAL torch FloatStorage -> its StorageType
    if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
            and isinstance(pid[1], StorageType) and isinstance(pid[2], str)
            and isinstance(pid[3], str) and type(pid[4]) is int):
        raise UnsafePickleError(f"persistent id {pid!r:.80} is not a storage record "
                                "('storage', type, key, location, numel)")
    _, stype, key, location, numel = pid
    _check_location(location, map_location)
    if key in storages:
        ref = storages[key]
        if ref.array.dtype != stype.dtype or ref.array.size != numel:
            raise UnsafePickleError(f"storage {key!r} is used with two different types/sizes")
        return ref
    member = f"{prefix}data/{key}"
    if "/" in key or member not in zf.namelist():
        raise CheckpointError("load", f"{name} is damaged: storage {key!r} has no member "
                              f"{member!r}")
    if not 0 <= numel <= limits.MAX_ELEMENTS:
        raise CheckpointError("load", f"{name}: storage {key!r} announces {numel} elements, "
                              f"over the limit of {limits.MAX_ELEMENTS} "
                              "(shared_ops.limits.MAX_ELEMENTS)")
    dtype = stype.dtype.newbyteorder(order)
    held = zf.getinfo(member).file_size
    if held != numel * dtype.itemsize:
        raise CheckpointError("load", f"{name} is damaged: storage {key!r} announces {numel} "
                              f"elements of {stype.dtype} ({numel * dtype.itemsize} bytes) "
                              f"but its member holds {held} bytes")
    raw = zf.read(member)
    array = np.frombuffer(raw, dtype).astype(stype.dtype)  # native order, a writable copy
    ref = storages[key] = StorageRef(array)
    return ref


class DeviceUnavailableError(RuntimeError):
    """A storage or ``map_location`` names CUDA (PyTorch's RuntimeError without CUDA)."""


_NO_CUDA = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
            "is False. If you are running on a CPU-only machine, please use torch.load with "
            "map_location=torch.device('cpu') to map your storages to the CPU.")


def check_map_location(map_location) -> None:
    """PyTorch's error for a ``map_location`` naming CUDA (this build has only the CPU); a
    dict or a callable is accepted (every storage lands on the CPU)."""
    target = getattr(map_location, "type", map_location)
    if isinstance(target, str) and target.startswith("cuda"):
        raise DeviceUnavailableError(_NO_CUDA)


def _check_location(location: str, map_location) -> None:
    if location == "cpu" or map_location is not None:
        return
    if location.startswith("cuda"):
        raise DeviceUnavailableError(_NO_CUDA)
    raise UnsafePickleError(f"storage location {location[:40]!r} is not supported")


def open_zip(f: IO[bytes]) -> zipfile.ZipFile:
    """``zipfile.ZipFile`` on ``f``; its errors are the caller's to report."""
    return zipfile.ZipFile(f)
