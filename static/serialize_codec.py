"""The JSON codec of saved graphs: attr and meta values as plain JSON with a closed set of tags,
and the rules every text, dtype and shape in a file must follow.

Scalars stay as they are; tuples, lists, dtypes, avals, slices, ``...`` and non-finite floats
become one-key tagged objects (``{"tuple": [1, 2]}``, ``{"dtype": "float32"}``). Decoding
knows only those tags: nothing in a file is ever evaluated or unpickled, and anything else is
refused with a `SerializationError`.

    >>> decode_value(encode_value((1, slice(None, 2, None)), "attr"))
    (1, slice(None, 2, None))

What a file may hold (`static.serialize` applies the same rules when saving, so a graph
that saves also loads):

* **text** (strings in attrs and meta, a location's file and function names): at most
  `MAX_TEXT_LENGTH` characters, none of them a control, format or line-break character
  (Unicode categories Cc, Cf, Cs, Zl, Zp: NUL, tab, ``\\n``, ``\\r``, ``\\x0b``, ``\\x0c``,
  ``\\x1c``-``\\x1f``, U+0085, U+2028, U+2029, bidi overrides, lone surrogates...). Such a
  character has no business in a name or a path a listing prints on one line, and it is what
  turns text spliced into generated source into code; refusing it on both sides keeps every
  saved graph loadable and no loaded text able to end a line. Anything else (spaces,
  quotes, backslashes, ``<lambda>``, non-ASCII letters) is kept exactly;
* **dtypes**: exactly the names of the supported dtypes (``"float32"``, ``"bool"``...);
* **shapes**: lists of at most `MAX_RANK` dims, each ``null`` (unknown) or a non-negative
  int (never a bool or a float), holding at most ``shared_ops.limits.MAX_ELEMENTS``
  elements, so no declared shape makes a run allocate more than building it would;
* **values** nested at most `MAX_VALUE_DEPTH` levels, floats finite unless tagged.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops import limits
from shared_ops.aval import Aval
from shared_ops.errors import DualgraphError

GRAPH_FILE, VALUES_FILE = "graph.json", "variables.npz"

MAX_TEXT_LENGTH = 4096  # a path as long as Linux allows (PATH_MAX)
MAX_RANK = 64  # NumPy's own limit on dimensions
MAX_VALUE_DEPTH = 16  # attrs nest a few levels (an index of slices, pad widths)
# The dtype names a file may use: what `str(dtype)` gives for every supported dtype.
DTYPE_NAMES = {str(d): d for d in dt.SUPPORTED}
# Control, format, surrogate, line and paragraph separator characters (see the docstring).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class SerializationError(DualgraphError, ValueError):
    """A graph that cannot be saved, or a saved graph that is damaged or not ours."""


def check_text(s: object, what: str) -> str:
    """``s`` when it is text a file may hold (see the module docstring); else ValueError."""
    if not isinstance(s, str):
        raise ValueError(f"{what} must be a string, not {type(s).__name__} {s!r:.60}")
    if len(s) > MAX_TEXT_LENGTH:
        raise ValueError(f"{what} is {len(s)} characters long, over the limit of "
                         f"{MAX_TEXT_LENGTH}")
    if not (s.isascii() and s.isprintable()):  # printable ASCII: the common case, no loop
        for c in s:
            if unicodedata.category(c) in _REFUSED_CATEGORIES:
                raise ValueError(f"{what} {s!r:.80} holds U+{ord(c):04X}, a control or "
                                 "line-break character (refused in saved graphs)")
    return s


def decode_dtype(v: object, what: str = "dtype") -> np.dtype:
    """The supported dtype named exactly ``v`` (``"float32"``, not ``"f32"`` or ``"<f4"``)."""
    if not isinstance(v, str) or v not in DTYPE_NAMES:
        raise ValueError(f"{what} {v!r:.80} is not one of {', '.join(DTYPE_NAMES)}")
    return DTYPE_NAMES[v]


def decode_shape(v: object, dtype: np.dtype, what: str = "shape") -> tuple:
    """A declared shape: a list of non-negative int or null dims within the element limit."""
    if not isinstance(v, list | tuple) or len(v) > MAX_RANK:
        raise ValueError(f"{what} {v!r:.80} is not a list of at most {MAX_RANK} dims")
    for d in v:
        if d is not None and (not isinstance(d, int) or isinstance(d, bool) or d < 0
                              or d > limits.MAX_ELEMENTS):
            raise ValueError(f"{what} {v!r:.80} has dim {d!r}; a dim is null (unknown) or an "
                             f"int from 0 to {limits.MAX_ELEMENTS}")
    shape = tuple(v)
    try:
        limits.check_shape("load", shape, dtype)
    except limits.SizeLimitError as e:
        raise ValueError(f"{what} is too large: {e.detail}") from None
    return shape


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


def decode_value(v: Any, depth: int = 0) -> Any:
    """The inverse of `encode_value`, over a closed set of tags (nothing is evaluated); texts,
    dtypes, shapes and nesting follow the rules of the module docstring (ValueError if not)."""
    if depth > MAX_VALUE_DEPTH:
        raise ValueError(f"value nests deeper than {MAX_VALUE_DEPTH} levels")
    if v is None or isinstance(v, bool | int):
        return v
    if isinstance(v, float) and math.isfinite(v):  # inf and nan come tagged
        return v
    if isinstance(v, str):
        return check_text(v, "string")
    if isinstance(v, dict) and len(v) == 1:
        ((tag, x),) = v.items()
        if tag in ("tuple", "list") and isinstance(x, list):
            items = [decode_value(e, depth + 1) for e in x]
            return tuple(items) if tag == "tuple" else items
        if tag == "aval" and isinstance(x, list) and len(x) == 2 and isinstance(x[0], dict) \
                and set(x[0]) == {"tuple"}:
            dtype = decode_dtype(x[1], "aval dtype")
            return Aval(decode_shape(x[0]["tuple"], dtype, "aval shape"), dtype)
        if tag == "dtype":
            return decode_dtype(x)
        if tag == "float" and x in ("inf", "-inf", "nan"):
            return float(x)
        if tag == "slice" and isinstance(x, list) and len(x) == 3:
            return slice(*(decode_value(e, depth + 1) for e in x))
        if tag == "ellipsis" and x is True:
            return Ellipsis
    raise SerializationError(f"unrecognized value {v!r:.80}")
