"""Save a static graph with its variables to a directory, and load it back safely.

A saved graph is a directory of three files:

* ``graph.json``: the nodes in order (op name, input names, attrs, aval, meta, source line),
  plain JSON with a closed set of tagged values (tuples, dtypes, slices...: `serialize_codec`);
  a control-flow node (``cond``/``while_loop``/``scan``) holds its bodies as nested node lists
  in the same format (`control_flow.saving`);
* ``variables.npz``: the values of variables and constants (``allow_pickle=False``), a body's
  under a key naming its control node (``n5.body.n2``);
* ``manifest.json``: format name and version, and the SHA-256 and size of both files.

Loading checks the manifest first, so a truncated or altered file is rejected before anything
is parsed; no code is executed: ops are looked up by name in the shared_ops registry (or the
static-only op set), unknown names are rejected, and every node's aval is recomputed with its
op's shape rule and compared with the saved one. Bodies go through the same checks, and a
control node's outputs are recomputed from its inputs and bodies.

    >>> save(g, "model_dir")                               # doctest: +SKIP
    >>> g2 = load("model_dir")                             # doctest: +SKIP

What you save is what you get back: a `Graph` loads as a `Graph`, a `Traced` (from
`static.trace`) as a `Traced` with its inputs and outputs.

Every field is checked, not only parsed: names as the builder makes them, texts without
control or line-break characters, dtypes from the supported set, shapes of non-negative
ints within ``shared_ops.limits.MAX_ELEMENTS`` (`serialize_codec` states the rules,
`serialize_fields` the node fields), known meta kinds, references to existing nodes. A file
that breaks any rule is refused with a `SerializationError` naming the file, the node and
the field. Saving runs the same checks on what it is about to write, before it creates
anything: a graph the loader would refuse (a file name holding a newline, bodies nested
deeper than `MAX_BODY_DEPTH`, a declared shape over the limit) is refused by `save` with the
same message, and nothing is written. So a graph that saves loads back, and nothing saved is
lost.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from shared_ops import OPS
from shared_ops.npz_safety import check_npz_headers

from . import serialize_nodes
from .control_flow import Body
from .control_flow.saving import (
    BODY_ATTRS,
    encode_body,
)
from .graph import Graph, Node
from .lint import LintError, lint
from .serialize_codec import (
    GRAPH_FILE,
    VALUES_FILE,
    SerializationError,
    encode_value,
)
from .serialize_fields import encode_location, encode_meta
from .serialize_nodes import SAVABLE_STATIC, NodeLoader, traced_refs
from .tracing import Traced

FORMAT = "dualgraph.saved_graph"
VERSION = 1
MANIFEST_FILE = "manifest.json"
# What a traced graph's file adds to the node list: references to its nodes.
TRACED_KEYS = ("inputs", "outputs", "effects", "variables")
_DOC_KEYS = {"format", "version", "nodes"}


# ---------------------------------------------------------------------------------------------
# Saving


def save(graph: Graph | Traced, path: str | os.PathLike) -> Path:
    """Write ``graph`` (or a `Traced`) and its variables' current values to directory ``path``.

    Raises `SerializationError`, having written nothing, when the graph holds something the
    file format cannot carry or `load` would refuse.
    """
    traced = graph if isinstance(graph, Traced) else None
    g = traced.graph if traced is not None else graph
    path = Path(path)
    index = {node: i for i, node in enumerate(g.nodes)}
    values: dict[str, np.ndarray] = {}
    nodes = _encode_nodes(g.nodes, values, "", 0)
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "nodes": nodes}
    if traced is not None:
        for key in TRACED_KEYS:
            doc[key] = [index[n] for n in getattr(traced, key)]
    try:
        graph_bytes = json.dumps(doc, indent=1, allow_nan=False).encode()
    except (TypeError, ValueError) as e:  # a shape dim or value of no JSON form
        raise SerializationError(f"save: cannot write {path / GRAPH_FILE}: {e}") from None
    # What load would refuse is refused now, by the loader itself, before anything exists.
    try:
        # Views: loading marks constants read-only, the caller's arrays stay as they are.
        _rebuild(_parse_json(graph_bytes, path / GRAPH_FILE),
                 {k: v.view() for k, v in values.items()}, path, verb="save")
    except SerializationError as e:
        raise SerializationError(f"{e} (nothing was written: load would refuse this)") \
            from None
    path.mkdir(parents=True, exist_ok=True)
    (path / GRAPH_FILE).write_bytes(graph_bytes)
    with open(path / VALUES_FILE, "wb") as f:
        np.savez(f, **values)
    manifest = {"format": FORMAT, "version": VERSION,
                "files": {name: _digest((path / name).read_bytes())
                          for name in (GRAPH_FILE, VALUES_FILE)}}
    (path / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n")
    return path


def _encode_nodes(nodes: list[Node], values: dict[str, np.ndarray], prefix: str,
                  depth: int) -> list[dict]:
    """The entries of one node list (the graph's or a body's, ``depth`` bodies deep); stored
    values go to ``values`` under ``<prefix>n<position>`` (a body's prefix names its control
    node and attr)."""
    index = {node: i for i, node in enumerate(nodes)}
    entries = []
    for i, node in enumerate(nodes):
        if node.op not in OPS and node.op not in SAVABLE_STATIC:
            raise SerializationError(f"save: node %{node.name} has op {node.op!r}, which cannot "
                                     "be saved (not a shared op or a plain static op)")
        key = f"{prefix}n{i}"
        if node.value is not None:
            values[key] = node.value
        bodies = BODY_ATTRS.get(node.op, ())
        if bodies and depth >= serialize_nodes.MAX_BODY_DEPTH:  # load's limit (one constant)
            raise SerializationError(
                f"save: %{node.name} nests bodies deeper than {serialize_nodes.MAX_BODY_DEPTH} "
                "levels, which load refuses (static.serialize_nodes.MAX_BODY_DEPTH); nothing "
                "was written")
        entries.append({
            "name": node.name, "op": node.op, "inputs": [index[n] for n in node.inputs],
            "attrs": {k: _encode_bodies(v, values, f"{key}.{k}", depth + 1) if k in bodies
                      else encode_value(v, f"attr {k!r} of %{node.name}")
                      for k, v in node.attrs.items()},
            "shape": [_encode_dim(d) for d in node.shape], "dtype": str(node.dtype),
            "meta": encode_meta(node.meta), "location": encode_location(node.location),
        })
    return entries


def _encode_dim(d: Any) -> Any:
    # NumPy ints become ints; anything else is written as it is, for the check to refuse.
    return int(d) if isinstance(d, np.integer) else d


def _encode_bodies(value: Body | tuple, values: dict[str, np.ndarray], prefix: str,
                   depth: int) -> dict:
    """A control node's body attr: one body, or a tuple of them (``cond``'s branches)."""
    if isinstance(value, tuple):
        return {"tuple": [_encode_bodies(b, values, f"{prefix}.{k}", depth)
                          for k, b in enumerate(value)]}
    return {"body": encode_body(value, lambda nodes: _encode_nodes(nodes, values,
                                                                   f"{prefix}.", depth))}


def _digest(data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


# ---------------------------------------------------------------------------------------------
# Loading


def load(path: str | os.PathLike) -> Graph | Traced:
    """Read a directory written by `save`; raises `SerializationError` if anything is off."""
    path = Path(path)
    manifest = _read_json(path / MANIFEST_FILE)
    _check_format(manifest, MANIFEST_FILE)
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != {GRAPH_FILE, VALUES_FILE}:
        raise SerializationError(f"load: {path / MANIFEST_FILE} does not list {GRAPH_FILE} and "
                                 f"{VALUES_FILE}")
    # Each file is read once and parsed from the verified bytes: no window to swap it.
    data = {name: _verified_bytes(path / name, expected) for name, expected in files.items()}
    doc = _parse_json(data[GRAPH_FILE], path / GRAPH_FILE)
    _check_format(doc, GRAPH_FILE)
    try:
        check_npz_headers(data[VALUES_FILE])
        # allow_pickle=False: an object array (a pickle) is refused, never unpickled.
        with np.load(io.BytesIO(data[VALUES_FILE]), allow_pickle=False) as npz:
            values = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as e:
        raise SerializationError(f"load: cannot read {path / VALUES_FILE}: {e}") from None
    return _rebuild(doc, values, path)


def _read_json(file: Path) -> dict:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise SerializationError(f"load: {file} is missing (not a saved dualgraph graph?)") \
            from None
    return _parse_json(data, file)


def _parse_json(data: bytes, file: Path) -> dict:
    try:
        # Strict JSON: no NaN/Infinity literals (save writes neither) and no repeated keys
        # (which of two values would count is a parser's choice, not the writer's).
        doc = json.loads(data, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as e:  # RecursionError: nesting thousands deep
        raise SerializationError(f"load: {file} is not valid JSON ({e})") from None
    if not isinstance(doc, dict):
        raise SerializationError(f"load: {file} does not hold a JSON object")
    return doc


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    doc = dict(pairs)
    if len(doc) != len(pairs):
        seen = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"key {repeated!r:.80} appears twice in one object")
    return doc


def _check_format(doc: dict, what: str) -> None:
    if doc.get("format") != FORMAT:
        raise SerializationError(f"load: {what} has format {doc.get('format')!r}, expected "
                                 f"{FORMAT!r}")
    if doc.get("version") != VERSION:
        raise SerializationError(f"load: {what} has format version {doc.get('version')!r}; "
                                 f"this dualgraph reads version {VERSION}")


def _verified_bytes(file: Path, expected: Any) -> bytes:
    """The file's bytes, after checking size and SHA-256 against the manifest (catches
    truncation and any edit)."""
    if not file.is_file():
        raise SerializationError(f"load: {file} is missing")
    if not isinstance(expected, dict):
        raise SerializationError(f"load: manifest entry for {file.name} is malformed")
    data = file.read_bytes()
    actual = _digest(data)
    if actual["bytes"] != expected.get("bytes"):
        raise SerializationError(f"load: {file} is {actual['bytes']} bytes, the manifest says "
                                 f"{expected.get('bytes')} (truncated or replaced file)")
    if actual["sha256"] != expected.get("sha256"):
        raise SerializationError(f"load: checksum mismatch for {file}: SHA-256 "
                                 f"{actual['sha256'][:16]}..., manifest says "
                                 f"{str(expected.get('sha256'))[:16]}... (file was altered)")
    return data


def _rebuild(doc: dict, values: dict[str, np.ndarray], path: Path,
             verb: str = "load") -> Graph | Traced:
    file = path / GRAPH_FILE
    traced = "outputs" in doc
    expected = _DOC_KEYS | set(TRACED_KEYS) if traced else _DOC_KEYS
    if set(doc) != expected:
        raise SerializationError(f"{verb}: {file} has the fields {sorted(doc)}, expected "
                                 f"{sorted(expected)}")
    entries = doc["nodes"]
    if not isinstance(entries, list):
        raise SerializationError(f"{verb}: {file} has no node list")
    graph = Graph()
    loader = NodeLoader(values, file, verb)
    nodes = loader.nodes(graph, entries, "", "")
    unused = sorted(set(values) - loader.used)
    if unused:
        raise SerializationError(f"{verb}: {path / VALUES_FILE} holds {unused[0]!r:.80}, the "
                                 f"value of no variable or constant in {file}")
    try:
        lint(graph)  # the last guard: the loaded graph satisfies every IR invariant
    except LintError as e:
        raise SerializationError(f"{verb}: {file} describes an unsound graph: {e}") from None
    if not traced:
        return graph
    refs = {key: traced_refs(doc[key], key, nodes, f"{verb}: {file}") for key in TRACED_KEYS}
    return Traced(graph, refs["inputs"], refs["outputs"], refs["variables"], refs["effects"])
