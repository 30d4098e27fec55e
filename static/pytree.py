"""Nested inputs and outputs (pytrees): tuples, lists, namedtuples, dicts and None.

A model's inputs and outputs are often structures: ``(logits, loss)``, an LSTM's ``(h, c)``
state, a batch as a dict, ``targets=None``. `flatten` lists a structure's leaves in order and
returns a hashable *template* of it; `unflatten` rebuilds the structure from leaves (other
values in their place). None is an empty structure, as in JAX: it has no leaf and comes back
as None, so ``return logits, None`` and ``model(x, targets=None)`` trace.

    >>> leaves = []
    >>> t = flatten({"h": 1, "c": (2, None)}, leaves)
    >>> leaves, unflatten(t, iter([10, 20]))
    ([1, 2], {'h': 10, 'c': (20, None)})
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

_NONE = (type(None), ())


def flatten(tree: Any, out: list, leaf: Callable[[Any], bool] | None = None) -> Any:
    """Append the leaves of ``tree`` to ``out``; return its template. ``leaf(v)`` True makes
    ``v`` a leaf even if it is a tuple (a ``(shape, dtype)`` spec)."""
    if tree is None:
        return _NONE
    if leaf is not None and leaf(tree):
        out.append(tree)
        return None
    if isinstance(tree, list | tuple):
        return type(tree), tuple(flatten(t, out, leaf) for t in tree)
    if isinstance(tree, dict):
        return dict, tuple((k, flatten(v, out, leaf)) for k, v in tree.items())
    out.append(tree)
    return None


def unflatten(template: Any, leaves: Iterator[Any]) -> Any:
    """Rebuild the structure `flatten` saw, taking leaves in order."""
    if template is None:
        return next(leaves)
    kind, inner = template
    if kind is type(None):
        return None
    if kind is dict:
        return {k: unflatten(v, leaves) for k, v in inner}
    items = [unflatten(t, leaves) for t in inner]
    return kind(items) if kind in (list, tuple) else kind(*items)  # namedtuples


def leaf_paths(template: Any, base: str) -> list[str]:
    """A readable name per leaf, in order: ``state.0``, ``batch.tokens`` (``base`` alone for
    a leaf at the top)."""
    if template is None:
        return [base]
    kind, inner = template
    if kind is type(None):
        return []
    if kind is dict:
        return [p for k, t in inner for p in leaf_paths(t, f"{base}.{k}")]
    return [p for i, t in enumerate(inner) for p in leaf_paths(t, f"{base}.{i}")]


def count_leaves(template: Any) -> int:
    """How many leaves a structure of this template has."""
    if template is None:
        return 1
    kind, inner = template
    if kind is type(None):
        return 0
    return sum(count_leaves(t) for _, t in inner) if kind is dict else \
        sum(count_leaves(t) for t in inner)
