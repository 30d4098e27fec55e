"""The JSON codec of saved graphs: attr and meta values as plain JSON with a closed set of tags.

Scalars stay as they are; tuples, lists, dtypes, avals, slices, ``...`` and non-finite floats
become one-key tagged objects (``{"tuple": [1, 2]}``, ``{"dtype": "float32"}``). Decoding
knows only those tags: nothing in a file is ever evaluated or unpickled, and anything else is
refused with a `SerializationError`.

    >>> decode_value(encode_value((1, slice(None, 2, None)), "attr"))
    (1, slice(None, 2, None))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.errors import DualgraphError, SourceLocation

GRAPH_FILE, VALUES_FILE = "graph.json", "variables.npz"


class SerializationError(DualgraphError, ValueError):
    """A graph that cannot be saved, or a saved graph that is damaged or not ours."""


def encode_value(v: Any, what: str) -> Any:
    """Attr values as JSON: scalars stay, tuples/dtypes/slices/... become tagged objects."""
    if v is None or isinstance(v, bool | str):
        return v
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if math.isfinite(f) else {"float": repr(f)}
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, Aval):  # a control node's out_avals (before tuple: Aval is one)
        return {"aval": [encode_value(tuple(v.shape), what), str(v.dtype)]}
    if isinstance(v, tuple):
        return {"tuple": [encode_value(x, what) for x in v]}
    if isinstance(v, list):
        return {"list": [encode_value(x, what) for x in v]}
    if isinstance(v, np.dtype) or (isinstance(v, type) and issubclass(v, np.generic)):
        return {"dtype": str(np.dtype(v))}
    if isinstance(v, slice):
        return {"slice": [encode_value(x, what) for x in (v.start, v.stop, v.step)]}
    if v is Ellipsis:
        return {"ellipsis": True}
    raise SerializationError(f"save: cannot store {what}: {type(v).__name__} {v!r} "
                             "(only numbers, strings, tuples, dtypes and slices)")


def encode_meta(meta: dict) -> dict:
    """Meta is side information: keep what encodes (role, composite...), skip the rest."""
    out = {}
    for k, v in meta.items():
        try:
            out[k] = encode_value(v, k)
        except SerializationError:
            continue
    return out


def encode_location(loc: SourceLocation | None) -> list | None:
    """``[file, line, function]`` of a source location (None stays None)."""
    return None if loc is None else [loc.filename, loc.lineno, loc.function]


def decode_value(v: Any) -> Any:
    """The inverse of `encode_value`, over a closed set of tags (nothing is evaluated)."""
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, dict) and len(v) == 1:
        ((tag, x),) = v.items()
        if tag == "tuple" and isinstance(x, list):
            return tuple(decode_value(e) for e in x)
        if tag == "aval" and isinstance(x, list) and len(x) == 2 and isinstance(x[1], str):
            shape = decode_value(x[0])
            if isinstance(shape, tuple) and all(
                    d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
                    for d in shape):
                return Aval(shape, dt.as_dtype(x[1], op="load"))
        if tag == "list" and isinstance(x, list):
            return [decode_value(e) for e in x]
        if tag == "dtype" and isinstance(x, str):
            return dt.as_dtype(x, op="load")
        if tag == "float" and x in ("inf", "-inf", "nan"):
            return float(x)
        if tag == "slice" and isinstance(x, list) and len(x) == 3:
            return slice(*(decode_value(e) for e in x))
        if tag == "ellipsis" and x is True:
            return Ellipsis
    raise SerializationError(f"load: unrecognized value {v!r:.80} in graph.json")
