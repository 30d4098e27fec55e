"""The descriptive fields of a saved node entry: its name, source location and meta, written
by `static.save` and checked on loading with the text rules of `serialize_codec`.

    {"name": "h1", "op": "matmul", "inputs": [0, 1], "attrs": {}, "shape": [null, 64],
     "dtype": "float32", "meta": {"role": "forward"}, "location": ["model.py", 12, "forward"]}

* ``name``: what `Graph.unique_name` makes, ``[0-9A-Za-z_.]`` only (``x``, ``cond.0``);
* ``location``: ``null`` or ``[file, line, function]``: two texts and a positive line;
* ``meta``: side information under identifier keys. ``role``, ``rng``, ``composite`` and
  ``fused`` hold texts (or a tuple of texts), ``grad_of`` and ``captures`` a node name, and
  ``origin`` (the compiler's provenance: a set of (node name, ``"model.py:12"``) pairs) is
  stored as a sorted list and loads back as the frozenset the compiler works with; other
  keys hold any value the codec decodes. `encode_meta` leaves out entries whose value has
  no file form (an analysis' own objects), as it always did: meta is side information.

    >>> decode_meta(encode_meta({"role": "backward", "origin": frozenset({("h", "m.py:3")})}))
    {'role': 'backward', 'origin': frozenset({('h', 'm.py:3')})}
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

from shared_ops.errors import SourceLocation

from .serialize_codec import (
    MAX_TEXT_LENGTH,
    SerializationError,
    check_text,
    decode_value,
    encode_value,
)

# The keys of every node entry, all present (save writes each; a file with others is refused).
NODE_KEYS = frozenset({"name", "op", "inputs", "attrs", "shape", "dtype", "meta", "location"})
MAX_LINE = 2**31 - 1
_NAME = re.compile(r"[0-9A-Za-z_.]+\Z")  # graph.py's _UNSAFE_CHARS, the other way round
_META_TEXTS = frozenset({"role", "rng"})
_META_NAMES = frozenset({"grad_of", "captures"})
_META_TEXT_TUPLES = frozenset({"composite", "fused"})


def check_name(v: object, what: str = "name") -> str:
    """A node name as the builder makes them: ``[0-9A-Za-z_.]+``, at most `MAX_TEXT_LENGTH`."""
    if not isinstance(v, str) or not _NAME.match(v) or len(v) > MAX_TEXT_LENGTH:
        raise ValueError(f"{what} {v!r:.80} is not a node name (1 to {MAX_TEXT_LENGTH} "
                         "characters from 0-9, A-Z, a-z, '_' and '.')")
    return v


def check_identifier(v: object, what: str) -> str:
    """An attr or meta key: an ASCII identifier (they are keyword arguments)."""
    if not isinstance(v, str) or not (v.isascii() and v.isidentifier()) or len(v) > 100:
        raise ValueError(f"{what} {v!r:.80} is not an identifier")
    return v


def encode_location(loc: SourceLocation | None) -> list | None:
    """``[file, line, function]`` of a source location (None stays None)."""
    return None if loc is None else [loc.filename, loc.lineno, loc.function]


def decode_location(v: object) -> SourceLocation | None:
    """The `SourceLocation` of ``[file, line, function]``, or None for ``null``."""
    if v is None:
        return None
    if not isinstance(v, list) or len(v) != 3:
        raise ValueError(f"{v!r:.80} is not null or [file, line, function]")
    file, line, function = v
    if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= MAX_LINE:
        raise ValueError(f"line {line!r:.40} is not an int from 1 to {MAX_LINE}")
    return SourceLocation(check_text(file, "file name"), line,
                          check_text(function, "function name"))


def encode_meta(meta: dict) -> dict:
    """Meta is side information: keep what encodes (role, composite...), skip the rest."""
    out = {}
    for k, v in meta.items():
        if not isinstance(k, str):
            continue
        try:
            if k == "origin" and isinstance(v, AbstractSet):  # a frozenset or a MergedOrigin
                v = tuple(sorted(v))  # a set has no order; a sorted list reads the same
            out[k] = encode_value(v, k)
        except (SerializationError, TypeError):  # TypeError: pairs that do not sort
            continue
    return out


def decode_meta(v: object) -> dict[str, Any]:
    """A node's meta from its entry: identifier keys, known keys holding their kind."""
    if not isinstance(v, dict):
        raise ValueError(f"{v!r:.80} is not an object")
    out = {}
    for k, x in v.items():
        check_identifier(k, "key")
        out[k] = _meta_value(k, decode_value(x))
    return out


def _meta_value(key: str, value: Any) -> Any:
    what = f"meta {key!r}"
    if key in _META_TEXTS and not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {value!r:.80}")
    if key in _META_NAMES:
        check_name(value, what)
    if key in _META_TEXT_TUPLES and not (isinstance(value, tuple)
                                         and all(isinstance(s, str) for s in value)):
        raise ValueError(f"{what} must be a tuple of strings, not {value!r:.80}")
    if key == "origin":
        if not isinstance(value, tuple) or not all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], str) for p in value):
            raise ValueError(f"{what} must be a list of (node name, location) pairs, not "
                             f"{value!r:.80}")
        for name, _ in value:
            check_name(name, f"{what} node name")
        return frozenset(value)
    return value
