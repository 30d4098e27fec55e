"""Nested containers of values ("pytrees") as the ``torch.func`` transforms see them.

A pytree is a tuple, list or dict (namedtuples and dict subclasses included) of pytrees, or a
leaf (anything else). ``flatten`` lists the leaves in order and returns a `TreeSpec` that
rebuilds the containers around new leaves; its ``repr`` is PyTorch's, since torch's error
messages about mismatched structures print it:

    >>> leaves, spec = flatten((1, {"a": 2, "b": [3]}))
    >>> leaves
    [1, 2, 3]
    >>> spec
    TreeSpec(tuple, None, [*,
      TreeSpec(dict, ['a', 'b'], [*,
        TreeSpec(list, None, [*])])])
    >>> spec.unflatten([4, 5, 6])
    (4, {'a': 5, 'b': [6]})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["TreeSpec", "flatten", "broadcast_prefix", "tree_map"]


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


class TreeSpec:
    """The shape of a pytree: its container type, the container's keys (``context``: a dict's
    keys, None for a sequence) and one spec per child. A leaf's spec has ``kind`` None."""

    __slots__ = ("kind", "context", "children", "num_leaves")

    def __init__(self, kind: type | None, context: Any = None,
                 children: tuple[TreeSpec, ...] = ()) -> None:
        self.kind = kind
        self.context = context
        self.children = children
        self.num_leaves = 1 if kind is None else sum(c.num_leaves for c in children)

    def is_leaf(self) -> bool:
        return self.kind is None

    def unflatten(self, leaves: list) -> Any:
        """The pytree of this shape holding ``leaves`` (in ``flatten``'s order)."""
        it = iter(leaves)
        return self._build(it)

    def _build(self, it) -> Any:
        if self.kind is None:
            return next(it)
        values = [child._build(it) for child in self.children]
        if issubclass(self.kind, dict):
            out = self.kind() if self.kind is not dict else {}
            out.update(zip(self.context, values, strict=True))
            return out
        if issubclass(self.kind, tuple) and self.kind is not tuple:  # a namedtuple
            return self.kind(*values)
        return self.kind(values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TreeSpec) and self.kind is other.kind \
            and self.context == other.context and self.children == other.children

    def __hash__(self) -> int:
        return hash((self.kind, len(self.children)))

    def __repr__(self) -> str:
        return self._text(0)

    def _text(self, indent: int) -> str:
        if self.kind is None:
            return "*"
        # PyTorch's layout: the first child on the opening line, each further child on its own
        # line, indented two more spaces per level of nesting.
        inner = indent + 2
        parts = [child._text(inner) for child in self.children]
        body = (",\n" + " " * inner).join(parts)
        return f"TreeSpec({self.kind.__name__}, {self._context_text()}, [{body}])"

    def pprint(self) -> str:
        """The short form some of torch's messages print: ``(*, {'a': *})``."""
        if self.kind is None:
            return "*"
        parts = [child.pprint() for child in self.children]
        if issubclass(self.kind, dict):
            return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.context, parts,
                                                                  strict=True)) + "}"
        if issubclass(self.kind, list):
            return "[" + ", ".join(parts) + "]"
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"

    def _context_text(self) -> str:
        if self.kind is not None and issubclass(self.kind, dict):
            return repr(list(self.context))
        if self.kind is not None and _is_namedtuple_type(self.kind):
            return repr(self.kind)
        return "None"


def _is_namedtuple_type(kind: type) -> bool:
    return issubclass(kind, tuple) and hasattr(kind, "_fields")


def flatten(tree: Any) -> tuple[list, TreeSpec]:
    """``(leaves, spec)`` of ``tree``; ``spec.unflatten(leaves)`` rebuilds it."""
    leaves: list = []
    return leaves, _flatten_into(tree, leaves)


def _flatten_into(tree: Any, leaves: list) -> TreeSpec:
    if isinstance(tree, dict):
        keys = list(tree)
        children = tuple(_flatten_into(tree[k], leaves) for k in keys)
        return TreeSpec(type(tree), keys, children)
    if isinstance(tree, list | tuple):
        children = tuple(_flatten_into(v, leaves) for v in tree)
        return TreeSpec(type(tree), None, children)
    leaves.append(tree)
    return TreeSpec(None)


def broadcast_prefix(prefix: Any, spec: TreeSpec) -> list | None:
    """One entry of ``prefix`` per leaf of ``spec``: where ``prefix`` has a leaf (an int or
    None in ``vmap``'s ``in_dims``), it applies to the whole subtree under it. None when
    ``prefix`` is not a prefix of the structure (the caller raises its own error)."""
    out: list = []
    return out if _broadcast(prefix, spec, out) else None


def _broadcast(prefix: Any, spec: TreeSpec, out: list) -> bool:
    if not isinstance(prefix, list | tuple | dict):
        out.extend([prefix] * spec.num_leaves)
        return True
    if spec.kind is None:
        return False
    _, prefix_spec = flatten(prefix)
    if prefix_spec.kind is not spec.kind or len(prefix_spec.children) != len(spec.children):
        return False
    if isinstance(prefix, dict):
        if set(prefix) != set(spec.context):
            return False
        values = [prefix[k] for k in spec.context]
    else:
        values = list(prefix)
    return all(_broadcast(v, child, out) for v, child in zip(values, spec.children,
                                                              strict=True))


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    """``tree`` with every leaf replaced by ``fn(leaf)``."""
    leaves, spec = flatten(tree)
    return spec.unflatten([fn(v) for v in leaves])
