"""``jit.save``/``jit.load``: a traced module or function as one file holding its graph.

The file is an uncompressed zip of the files `static.save` writes for a traced graph (a
manifest with digests, the graph as JSON, the values as ``.npz``: data, checked field by field
on load, never code and never a pickle) and ``jit.json`` (the original's name, for printing).
Loading accepts only plain member names (no folders, no ``..``), writes them to a private
temporary directory and hands it to `static.load`; the result runs the graph on tensors.
A module made by ``jit.script`` runs Python code, which is not saved: its ``save`` refuses
with a clear error; so does `load` on a TorchScript archive written by PyTorch (code and
pickles). ``f`` may be a file name or a binary file object (``io.BytesIO``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ..creation import from_numpy
from ..nn.parameter import Parameter
from .backend import jit_backend
from .script_module import ScriptModule

_INFO = "jit.json"
# The graph's own files (named by static.save) are stored flat; a member name must be a plain
# file name, so that writing it into the private folder can never reach outside it.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_MAX_MEMBERS = 8
_FORMAT = "eager.jit.traced"
_MAX_MEMBER_BYTES = 1 << 31  # a member larger than this is refused before it is read


def module_tree(module: Any) -> dict:
    """``{"original_name": class name, "children": {name: tree}}`` of a Module (what a
    loaded module prints and nests its parameters by)."""
    children = getattr(module, "named_children", lambda: ())()
    return {"original_name": type(module).__name__,
            "children": {name: module_tree(child) for name, child in children}}


def save_program(program: Any, f: Any, tree: dict) -> None:
    """Write a traced program's graph, and the ``tree`` of the traced Module (`module_tree`),
    to ``f`` (a file name or a binary file object)."""
    if not isinstance(f, str | os.PathLike) and not hasattr(f, "write"):
        raise TypeError(f"jit.save: expected a file name or a binary file object, got "
                        f"{type(f).__name__}")
    with tempfile.TemporaryDirectory() as tmp:
        program.save(Path(tmp) / "graph")
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
            for file in sorted((Path(tmp) / "graph").iterdir()):
                zf.write(file, file.name)
            zf.writestr(_INFO, json.dumps({"format": _FORMAT, "tree": tree}))


def save(m: Any, f: Any, _extra_files: Any = None) -> None:
    """``torch.jit.save(m, f)``: ``m.save(f)`` (a traced module or function)."""
    warnings.warn("`torch.jit.save` is deprecated. Please switch to `torch.export`.",
                  DeprecationWarning, stacklevel=1)
    if not hasattr(m, "save"):
        raise AttributeError(f"'{type(m).__name__}' object has no attribute 'save'")
    m.save(f, _extra_files)


def load(f: Any, map_location: Any = None, _extra_files: Any = None,
         _restore_shapes: bool = False) -> LoadedModule:
    """``torch.jit.load(f)``: the traced graph in ``f`` (a file name or a binary file object
    written by `save`), as a `LoadedModule`. ``map_location`` may only name the CPU."""
    warnings.warn("`torch.jit.load` is deprecated. Please switch to `torch.export`.",
                  DeprecationWarning, stacklevel=1)
    if isinstance(f, str | os.PathLike):
        if not os.path.exists(f):
            raise ValueError(f"The provided filename {f} does not exist")
        if os.path.isdir(f):
            raise ValueError(f"The provided filename {f} is a directory")
    elif not hasattr(f, "read"):
        raise TypeError(f"jit.load: expected a file name or a binary file object, got "
                        f"{type(f).__name__}")
    if map_location is not None and str(map_location) not in ("cpu", "cpu:0"):
        raise RuntimeError(f"jit.load: map_location={map_location!r}: only the CPU exists here")
    members = _read_members(f)
    info = _read_info(members.pop(_INFO), f)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "graph"
        folder.mkdir()
        for member, data in members.items():  # plain names (checked): inside the folder
            (folder / member).write_bytes(data)
        program = jit_backend().load(folder)
    return LoadedModule(program, info["tree"])


def _read_members(f: Any) -> dict[str, bytes]:
    """The file's members by name, each checked before it is read (static.load then checks
    the graph's files against their manifest)."""
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            if any(n.endswith(".pkl") or "/code/" in n for n in names):
                raise RuntimeError(f"jit.load: {f} is a TorchScript archive written by PyTorch "
                                   "(Python code and pickles, which eager never runs): trace "
                                   "the model here, or load its state_dict with eager.load")
            if (_INFO not in names or len(infos) > _MAX_MEMBERS or len(set(names)) != len(names)
                    or not all(_PLAIN_NAME.fullmatch(n) for n in names)):
                raise RuntimeError(f"jit.load: {f} is not a file written by jit.save here "
                                   f"(members {names})")
            for info in infos:
                if info.file_size > _MAX_MEMBER_BYTES or info.compress_type != zipfile.ZIP_STORED:
                    raise RuntimeError(f"jit.load: {f}: member {info.filename} is compressed "
                                       "or too large")
            return {name: zf.read(name) for name in names}
    except zipfile.BadZipFile as e:
        raise RuntimeError(f"jit.load: {f} is not a file written by jit.save here ({e})") \
            from None


def _read_info(data: bytes, f: Any) -> dict:
    try:
        info = json.loads(data)
    except ValueError as e:
        raise RuntimeError(f"jit.load: {f}: {_INFO} is not JSON ({e})") from None
    if not isinstance(info, dict) or info.get("format") != _FORMAT or not _is_tree(
            info.get("tree"), depth=0):
        raise RuntimeError(f"jit.load: {f}: {_INFO} does not describe a traced module")
    return info


def _is_tree(tree: Any, depth: int) -> bool:
    """A module tree as `module_tree` writes it, with identifier names, not absurdly deep."""
    if not isinstance(tree, dict) or set(tree) != {"original_name", "children"} or depth > 64:
        return False
    name, children = tree["original_name"], tree["children"]
    return (isinstance(name, str) and name.isidentifier() and isinstance(children, dict)
            and all(isinstance(k, str) and _PLAIN_NAME.fullmatch(k) and "." not in k
                    and _is_tree(v, depth + 1) for k, v in children.items()))


class GraphFaces:
    """``graph``, ``code`` and ``save`` of a module or function that runs a traced program
    (``self.__dict__["_program"]``); ``_tree()`` is the module tree `save` writes beside it."""

    @property
    def graph(self) -> Any:
        """The static graph recorded from the example call (``print`` it)."""
        return self.__dict__["_program"].graph

    @property
    def code(self) -> str:
        """The graph's generated Python, as a self-contained module."""
        return self.__dict__["_program"].code

    def save(self, f: str | os.PathLike, _extra_files: Any = None) -> None:
        """``jit.save(self, f)``."""
        save_program(self.__dict__["_program"], f, self._tree())

    def _tree(self) -> dict:
        raise NotImplementedError


class LoadedModule(GraphFaces, ScriptModule):
    """A traced graph read by `load` (PyTorch's RecursiveScriptModule): the traced Module's
    submodules, parameters and buffers (over the arrays the graph reads: changing them in
    place changes what it computes); calling the top level runs the graph on the tensors'
    values and returns tensors (the loaded graph has no eager tape: no gradients)."""

    def __init__(self, program: Any, tree: dict, values: dict | None = None) -> None:
        super().__init__()
        self.__dict__["_program"] = program
        self.__dict__["original_name"] = tree["original_name"]
        self.__dict__["_top"] = values is None
        if values is None:  # the top level: every variable, by its dotted name
            values = {name: (array, trainable) for name, array, trainable in
                      program.variables()}
        for name, child in tree["children"].items():
            prefix = name + "."
            inner = {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}
            self.add_module(name, LoadedModule(program, child, inner))
        for name, (array, trainable) in values.items():
            if "." in name:
                continue
            tensor = from_numpy(array)
            if trainable:
                self.register_parameter(name, Parameter(tensor))
            else:
                self.register_buffer(name, tensor)

    def forward(self, *args: Any) -> Any:
        if not self.__dict__["_top"]:
            raise RuntimeError(f"{self.__dict__['original_name']}: a submodule of a loaded "
                               "traced module has no graph of its own; call the top level")
        return _as_tensors(self.__dict__["_program"](*args))

    def _tree(self) -> dict:
        return _tree_of(self)

    def _get_name(self) -> str:
        return "RecursiveScriptModule"

    def extra_repr(self) -> str:
        return f"original_name={self.__dict__['original_name']}"


def _tree_of(module: LoadedModule) -> dict:
    return {"original_name": module.__dict__["original_name"],
            "children": {n: _tree_of(c) for n, c in module.named_children()}}


def _as_tensors(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return from_numpy(value)
    if isinstance(value, list | tuple):
        return type(value)(_as_tensors(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_tensors(v) for k, v in value.items()}
    return value


__all__ = ["GraphFaces", "LoadedModule", "load", "module_tree", "save", "save_program"]
