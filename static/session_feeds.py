"""Checking the values fed to a `Session`'s placeholders, and what a fast call may skip.

`check_feed_value` is the whole check: the element limit, the dtype (a same-kind cast of a
bool, int or float value is made, anything else refused), the rank and every known dim, each
error naming the placeholder, where it was defined and the user's line. `FeedMemo` remembers,
per placeholder, the last value that passed it unchanged: a NumPy array of exactly that shape
and dtype passes again without the check, since every step of the check would answer the same
(a plain ``ndarray``, no cast to make, the same dims against the same aval). Anything else
(a list, a new shape, another dtype, an ndarray subclass, a placeholder whose aval was edited)
goes through the whole check again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops import limits
from shared_ops.errors import SourceLocation, describe_shapes, user_location

from .errors import FeedError
from .graph import Node, format_location
from .pytree import flatten


def check_feed_value(node: Node, value: Any, where: SourceLocation | None = None) -> np.ndarray:
    """``value`` as the array ``node`` (a placeholder) takes, cast where a same-kind cast is
    allowed; raises `FeedError` naming the placeholder and the user's line otherwise."""
    defined = f"defined at {format_location(node.location)}"
    arr = np.asarray(value)
    # Before any copy or cast: a broadcast view of 10**12 elements costs nothing until then.
    limits.check_shape("Session.run", arr.shape, arr.dtype, location=where or user_location(),
                       what=f"the value fed to placeholder %{node.name},")
    if arr.dtype != node.dtype:
        if not (arr.dtype.kind in "biuf" and np.can_cast(arr.dtype, node.dtype, "same_kind")):
            raise FeedError("Session.run", f"placeholder %{node.name} ({node.aval}, {defined}) "
                            f"was fed dtype {arr.dtype}", dtypes=(arr.dtype, node.dtype),
                            location=where or user_location())
        arr = arr.astype(node.dtype)
    ok = arr.ndim == node.ndim and all(
        d is None or d == s for d, s in zip(node.shape, arr.shape, strict=True))
    if not ok:
        raise FeedError("Session.run", f"placeholder %{node.name} expects shape "
                        f"{describe_shapes(node.shape)} ({defined}) but was fed shape "
                        f"{describe_shapes(arr.shape)}", shapes=(arr.shape, node.shape),
                        location=where or user_location())
    return arr


class FeedMemo:
    """Per placeholder, the (shape, dtype, aval) of the last value that passed
    `check_feed_value` as it was: such a value passes again with three comparisons."""

    def __init__(self) -> None:
        self.passed: dict[Node, tuple] = {}

    def check(self, node: Node, value: Any) -> np.ndarray:
        """``value`` checked for ``node``: the memo's three comparisons, else the whole check."""
        seen = self.passed.get(node)
        if (seen is not None and type(value) is np.ndarray and value.shape == seen[0]
                and value.dtype is seen[1] and node.aval is seen[2]):
            return value
        arr = check_feed_value(node, value)
        if arr is value:  # accepted unchanged: the same shape and dtype will pass again
            if len(self.passed) >= 1024:  # placeholders of many graph versions: start over
                self.passed.clear()
            self.passed[node] = (arr.shape, arr.dtype, node.aval)
        return arr


def feed_pairs(key: Any, value: Any) -> list[tuple[Any, Any]]:
    """(placeholder or name, value) pairs of one feed, whose key may be a nested tuple."""
    if not isinstance(key, tuple):
        return [(key, value)]
    keys: list[Any] = []
    template = flatten(key, keys)
    values: list[Any] = []
    if not isinstance(value, list | tuple) or _nesting(flatten(value, values)) != \
            _nesting(template):
        raise FeedError("Session.run", f"feed_dict key {_brief(key)} is a structure of "
                        f"{len(keys)} placeholders; its value must have the same structure "
                        f"(a tuple of arrays), got {type(value).__name__}",
                        location=user_location())
    return list(zip(keys, values, strict=True))


def _nesting(template: Any) -> Any:
    """A structure's template with tuples, lists and namedtuples alike."""
    if template is None or template[0] is type(None):
        return template
    kind, inner = template
    if kind is dict:
        return dict, tuple((k, _nesting(t)) for k, t in inner)
    return tuple, tuple(_nesting(t) for t in inner)


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."
