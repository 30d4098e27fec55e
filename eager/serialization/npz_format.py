"""The first checkpoint format of ``eager.save``: a NumPy ``.npz`` plus a JSON structure record.

Arrays go in as ``.npy`` members named by their place in the structure (``fc1.weight``,
``state.0.exp_avg``), so ``np.load`` reads a saved model directly; the structure itself
(dicts, lists, numbers, which arrays were Tensors or Parameters) is a JSON text stored next to
them. Nothing is pickled: loading runs no code from the file (``allow_pickle=False``).
``eager.load`` still reads these files; ``eager.save(..., _use_new_zipfile_serialization=False)``
still writes them (PyTorch's flag for its own older format).
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from shared_ops.npz_safety import check_npz_headers

from ..tensor import Tensor
from ..tensor_base import wrap_array
from .errors import CheckpointError

_META = "__dualgraph_structure__"
_FORMAT = 1


def save_npz(obj: Any, f: str | os.PathLike | IO[bytes]) -> None:
    """Write ``obj`` (a state dict, an optimizer state dict, nested dicts/lists of Tensors,
    arrays, numbers and strings) to ``f``, a path (used exactly as given) or a binary file."""
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(obj, "", arrays)
    arrays[_META] = np.array(json.dumps({"format": _FORMAT, "tree": tree}))
    if isinstance(f, str | os.PathLike):
        with open(f, "wb") as fh:  # np.savez(path) would append ".npz" to the name
            np.savez(fh, **arrays)
    else:
        np.savez(f, **arrays)


def load_npz(f: IO[bytes], name: str) -> Any:
    """Read what `save_npz` wrote; Tensors come back as Tensors (Parameters as Parameters)."""
    try:
        # Every member's header first: np.load allocates what a (forged) header announces.
        check_npz_headers(f)
        with np.load(f, allow_pickle=False) as npz:
            if _META not in npz.files:
                raise CheckpointError("load", f"{name} is an .npz file but not one written by "
                                      "eager.save (no structure record)")
            meta = json.loads(str(npz[_META]))
            arrays = {k: npz[k] for k in npz.files if k != _META}
    except CheckpointError:
        raise
    # RecursionError: a structure record nested thousands deep, from json.loads.
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError, RecursionError) as e:
        raise CheckpointError("load", f"{name} is not a checkpoint written by eager.save "
                              f"({type(e).__name__}: {e})") from None
    if not isinstance(meta, dict) or "tree" not in meta:
        raise CheckpointError("load", f"{name} is damaged: its structure record is not an "
                              "object with a 'tree'")
    if meta.get("format") != _FORMAT:
        raise CheckpointError("load", f"{name} has checkpoint format {meta.get('format')!r}, "
                              f"this version reads format {_FORMAT}")
    try:
        return _decode(meta["tree"], arrays, name)
    except RecursionError:  # nested deeper than Python's stack, though json could parse it
        raise CheckpointError("load", f"{name} is damaged: its structure is nested too deeply "
                              "to rebuild") from None


def _encode(value: Any, path: str, arrays: dict[str, np.ndarray]) -> dict:
    if isinstance(value, Tensor | np.ndarray):
        key = path or "value"
        n = 1
        while key in arrays or key == _META:
            n += 1
            key = f"{path}#{n}"
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            raise CheckpointError("save", f"cannot store an array of dtype {arr.dtype} "
                                  f"at {path or 'the top level'}")
        arrays[key] = arr
        kind = "ndarray" if isinstance(value, np.ndarray) else \
            ("parameter" if type(value).__name__ == "Parameter" else "tensor")
        return {"t": kind, "k": key, "rg": bool(getattr(value, "requires_grad", False))}
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not isinstance(k, str | int | float | bool) and k is not None:
                raise CheckpointError("save", f"cannot store a dict key of type "
                                      f"{type(k).__name__} ({k!r})")
            items.append([k, _encode(v, f"{path}.{k}" if path else str(k), arrays)])
        return {"t": "odict" if isinstance(value, OrderedDict) else "dict", "items": items}
    if isinstance(value, list | tuple):
        return {"t": "list" if isinstance(value, list) else "tuple",
                "items": [_encode(v, f"{path}.{i}" if path else str(i), arrays)
                          for i, v in enumerate(value)]}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return {"t": "v", "v": value}
    raise CheckpointError("save", f"cannot store a {type(value).__name__} at "
                          f"{path or 'the top level'} (supported: Tensors, arrays, dicts, "
                          "lists, tuples, numbers, strings, None)")


def _decode(node: Any, arrays: dict[str, np.ndarray], name: str) -> Any:
    # The record comes from the file: check each entry's shape, so a tampered one is a
    # CheckpointError saying so, never a KeyError/TypeError from deep in here.
    if not isinstance(node, dict):
        raise _damaged(name, f"an entry is a {type(node).__name__}, not an object")
    kind = node.get("t")
    if kind in ("tensor", "parameter", "ndarray"):
        key = node.get("k")
        if not isinstance(key, str):
            raise _damaged(name, f"a {kind} entry has no array name ('k': {key!r})")
        arr = arrays.get(key)
        if arr is None:
            raise _damaged(name, f"array {key!r} is missing")
        if kind == "ndarray":
            return arr
        requires_grad = node.get("rg")
        if not isinstance(requires_grad, bool):
            raise _damaged(name, f"the {kind} entry for {key!r} has no requires_grad flag")
        if arr.dtype.kind not in "biuf":
            raise _damaged(name, f"array {key!r} has dtype {arr.dtype}, not a tensor's")
        if kind == "parameter":
            from ..nn.parameter import Parameter

            return Parameter(arr, requires_grad=requires_grad)
        t = wrap_array(arr)
        if requires_grad:
            t.requires_grad = True
        return t
    if kind in ("dict", "odict"):
        pairs = []
        for pair in _items(node, kind, name):
            if not (isinstance(pair, list) and len(pair) == 2 and _is_value(pair[0])):
                raise _damaged(name, f"a {kind} item is {pair!r:.60}, not a [key, value] pair")
            pairs.append((pair[0], _decode(pair[1], arrays, name)))
        return OrderedDict(pairs) if kind == "odict" else dict(pairs)
    if kind in ("list", "tuple"):
        items = [_decode(v, arrays, name) for v in _items(node, kind, name)]
        return items if kind == "list" else tuple(items)
    if kind == "v":
        if "v" not in node or not _is_value(node["v"]):
            raise _damaged(name, f"a value entry holds {node.get('v')!r:.60}, not a number, "
                           "string or null")
        return node["v"]
    raise _damaged(name, f"unknown entry kind {kind!r}")


def _items(node: dict, kind: str, name: str) -> list:
    items = node.get("items")
    if not isinstance(items, list):
        raise _damaged(name, f"a {kind} entry's items are {type(items).__name__}, not a list")
    return items


def _is_value(v: Any) -> bool:
    return v is None or isinstance(v, bool | int | float | str)


def _damaged(name: str, detail: str) -> CheckpointError:
    return CheckpointError("load", f"{name} is damaged: {detail}")
