"""`save` / `load` as PyTorch's, in PyTorch's checkpoint format, without unpickling.

**Format.** `save` writes PyTorch's zip archive (``torch.load(path, weights_only=True)``
reads what it writes for tensors and plain data): ``archive/data.pkl``, a pickle (protocol 2)
of the structure; ``archive/data/<key>``, each storage's raw little-endian bytes (64-byte
aligned); ``archive/byteorder`` (``little``) and ``archive/version`` (``3``). Tensors are calls
of ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, {})``
(Parameters wrap that in ``_rebuild_parameter``), and views saved together share one storage.
Dicts, OrderedDicts, lists, tuples, numbers, strings and None are plain pickle opcodes. Two
records are ours: NumPy arrays (``eager.serialization.rebuild_ndarray``) and whole Modules
(``eager.serialization.rebuild_module``: class name plus module tree, parameters, buffers,
training flag and plain attributes; see `module_records`). docs/SAVE_FORMAT.md has the details.

**Loading never runs code from the file.** The pickle is read by `pickle_reader`, a strict
interpreter of the data-building opcodes whose ``GLOBAL`` may only name entries of a fixed
table mapped to our own functions (nothing is imported); Modules are rebuilt from an
allow-list of classes, never through their constructors. Every storage's element count is
checked against `shared_ops.limits` and against the bytes its member holds. `load` also reads
the earlier ``.npz`` + JSON format of `npz_format`.

    >>> import io, eager, eager.nn as nn
    >>> model, buf = nn.Linear(2, 1), io.BytesIO()
    >>> eager.save(model.state_dict(), buf)
    >>> _ = buf.seek(0)
    >>> model.load_state_dict(eager.load(buf))
    <All keys matched successfully>
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from typing import IO, Any

from .errors import CheckpointError
from .module_records import (
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    module_globals,
    write_other,
)
from .npz_format import load_npz, save_npz
from .pickle_writer import UnsupportedValue
from .torch_zip import check_map_location, is_torch_archive, read_archive, write_archive

__all__ = ["save", "load", "CheckpointError", "add_safe_globals", "get_safe_globals",
           "clear_safe_globals"]


def save(obj: Any, f: str | os.PathLike | IO[bytes], pickle_module: Any = pickle,
         pickle_protocol: int = 2, _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """Write ``obj`` (tensors, state dicts, optimizer state dicts, nested dicts / lists /
    tuples / numbers / strings / None, NumPy arrays, whole ``nn.Module`` s) to ``f``, a path
    (used exactly as given) or a binary file, in PyTorch's checkpoint format.

    ``pickle_module`` and ``pickle_protocol`` are accepted for PyTorch's signature (the
    pickle is always written by hand, protocol 2); ``_use_new_zipfile_serialization=False``
    writes eager's earlier ``.npz`` format instead.
    """
    if not _use_new_zipfile_serialization:
        save_npz(obj, f)
        return
    try:
        data = write_archive(obj, write_other)
    except UnsupportedValue as e:
        raise CheckpointError("save", f"{e} (supported: Tensors, arrays, dicts, lists, "
                              "tuples, numbers, strings, None and eager Modules)") from None
    if isinstance(f, str | os.PathLike):
        with open(f, "wb") as fh:
            fh.write(data)
    else:
        f.write(data)


def load(f: str | os.PathLike | IO[bytes], map_location: Any = None,
         pickle_module: Any = None, *, weights_only: bool | None = None, mmap: bool | None = None,
         **pickle_load_args: Any) -> Any:
    """Read a checkpoint written by `save` or by ``torch.save`` (its zip format), or by the
    earlier ``eager.save`` (``.npz``).

    ``weights_only`` (default True, as PyTorch's): tensors and plain data, plus Modules of
    classes registered with `add_safe_globals`; False also rebuilds eager's own Module
    classes. Either way nothing is unpickled: only an allow-list of globals is read.
    ``map_location`` maps storages saved on another device to the CPU (the only device).
    """
    if pickle_module is not None and pickle_module is not pickle:
        raise CheckpointError("load", "a pickle_module cannot be used: eager.load never "
                              "unpickles (it reads the checkpoint format itself)")
    if pickle_load_args and set(pickle_load_args) - {"encoding"}:
        raise TypeError(f"load() got unexpected keyword arguments {sorted(pickle_load_args)}")
    weights_only = True if weights_only is None else bool(weights_only)
    check_map_location(map_location)
    if isinstance(f, str | os.PathLike):
        with open(f, "rb") as fh:
            return _load(fh, os.fspath(f), weights_only, map_location)
    if not (hasattr(f, "seekable") and f.seekable()):
        f = io.BytesIO(f.read())
    return _load(f, str(getattr(f, "name", "<file>")), weights_only, map_location)


def _load(f: IO[bytes], name: str, weights_only: bool, map_location: Any) -> Any:
    start = f.tell()
    try:
        with zipfile.ZipFile(f) as zf:
            names = zf.namelist()
            if is_torch_archive(names):
                return read_archive(zf, name, module_globals(weights_only), map_location)
    except CheckpointError:
        raise
    except zipfile.BadZipFile as e:
        f.seek(start)
        if f.read(2) in (b"\x80\x02", b"\x80\x04"):
            raise CheckpointError("load", f"{name} is in PyTorch's legacy (pre-1.6, "
                                  "non-zip) format, which eager.load does not read: re-save "
                                  "it with torch.save in the default format") from None
        raise CheckpointError("load", f"{name} is not a checkpoint written by eager.save "
                              f"(BadZipFile: {e})") from None
    except (KeyError, OSError, EOFError, ValueError) as e:  # damaged members, CRC errors
        raise CheckpointError("load", f"{name} is damaged ({type(e).__name__}: {e})") \
            from None
    f.seek(start)
    return load_npz(f, name)
