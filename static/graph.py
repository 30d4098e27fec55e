"""The static IR: a `Graph` of `Node`s in creation (= topological) order, and its text listing.

A Node is plain data: the op's name, its input nodes, hashable attrs, the aval (shape and dtype,
dims may be ``None``), a readable name unique in its graph, the user's source line where it was
created, and a side ``meta`` dict for analyses (``role``, ``composite``, ``grad_of``...).
Constants and variables also hold their storage in ``value``; a variable's value is updated in
place, never rebound, so every holder of the array sees the new weights.

    >>> import static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((None, 3), name="x")
    ...     y = static.exp(x)
    >>> print(g)                                                    # doctest: +SKIP
    %x: f32[?,3] = placeholder()  # model.py:3
    %exp: f32[?,3] = exp(%x)      # model.py:4
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from shared_ops.aval import Aval
from shared_ops.errors import SourceLocation

from .listing import format_aval, format_call, format_listing, format_location, format_value
from .node_methods import NodeMethods

__all__ = ["STATIC_OPS", "Graph", "Node", "format_call", "format_listing", "format_location",
           "format_value", "get_default_graph", "register_static_op", "reset_default_graph"]

# Ops that exist only in the static mode (everything else is a shared_ops registry name).
# Other static modules (control flow, ...) add theirs with `register_static_op`.
STATIC_OPS: set[str] = {"placeholder", "variable", "constant", "assign", "group"}

_UNSAFE_CHARS = re.compile(r"[^0-9A-Za-z_.]")  # replaced by "_" in node names
_SUFFIX = re.compile(r"_\d+$")  # the ``_7`` of an automatic name ``mul_7``


def register_static_op(name: str) -> None:
    """Declare a static-only op name, so that `lint` accepts nodes of that op."""
    STATIC_OPS.add(name)


class Node(NodeMethods):
    """One value in a static graph: ``%name: aval = op(%inputs..., attrs...)``.

    Nodes compare and hash by identity (``x == y`` does not build a graph node), so they can be
    dict keys; the operators ``+ - * / @ ** [] <`` and methods like ``.sum()`` build nodes.
    """

    __slots__ = ("op", "inputs", "attrs", "aval", "name", "location", "meta", "value", "graph",
                 "__weakref__")

    def __init__(self, graph: Graph, op: str, inputs: tuple[Node, ...], attrs: dict[str, Any],
                 aval: Aval, name: str, location: SourceLocation | None = None,
                 meta: dict[str, Any] | None = None, value: np.ndarray | None = None):
        self.graph = graph
        self.op = op
        self.inputs = tuple(inputs)
        self.attrs = dict(attrs)
        self.aval = aval
        self.name = name
        self.location = location
        self.meta = {} if meta is None else meta
        self.value = value

    @property
    def dtype(self) -> np.dtype:
        return self.aval.dtype

    @property
    def ndim(self) -> int:
        return len(self.aval.shape)

    def listing(self) -> str:
        """This node's line of the graph listing, without the source comment."""
        return f"%{self.name}: {format_aval(self)} = {format_call(self)}"

    def __repr__(self) -> str:
        return f"<Node %{self.name}: {self.aval} = {self.op}>"

    def __iter__(self):
        raise TypeError(f"static node %{self.name} ({self.aval}) cannot be iterated while the "
                        "graph is being built; index it (x[0]), take x.unbind(0), or use "
                        "eager mode")

    def __len__(self) -> int:
        if not self.aval.shape or self.aval.shape[0] is None:
            raise TypeError(f"len() of static node %{self.name} ({self.aval}) is not known "
                            "when the graph is built")
        return self.aval.shape[0]


class Graph:
    """Nodes in creation order (already topological), with unique readable names.

        with Graph() as g:        # g is the default graph inside the block
            ...
        g["x"]                    # lookup by name
        print(g)                  # readable listing, one node a line
    """

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self._by_name: dict[str, Node] = {}
        self._name_counts: dict[str, int] = {}
        # Meta every new node gets (e.g. role="backward" while autodiff builds); see meta_scope.
        self._meta_defaults: dict[str, Any] = {}
        # Bumped whenever nodes are added or removed: executors key cached plans on it.
        self.version = 0
        # Objects claimed during a trace (eager parameters...) -> the variable node standing in
        # for them: `shared_ops.dispatch.capture` routes their ops here, and the builder's apply
        # resolves them through this table instead of freezing them as constants.
        self.captures: dict[int, Node] = {}

    # -- building ---------------------------------------------------------------------------
    def unique_name(self, base: str) -> str:
        """``base`` if free, else ``base_1``, ``base_2``... (torch.fx naming)."""
        if not (base.isascii() and base.isidentifier()):  # the common case needs no regex
            base = _UNSAFE_CHARS.sub("_", base) or "node"
        if base not in self._by_name:
            return base
        # The last suffix handed out for this base: the k-th ``mul`` takes one probe, not k.
        n = self._name_counts.get(base, 0)
        while True:
            n += 1
            candidate = f"{base}_{n}"
            if candidate not in self._by_name:
                self._name_counts[base] = n
                return candidate

    def add_node(self, op: str, inputs: tuple[Node, ...], attrs: dict[str, Any], aval: Aval, *,
                 name: str | None = None, location: SourceLocation | None = None,
                 meta: dict[str, Any] | None = None, value: np.ndarray | None = None) -> Node:
        """Append a node (its inputs must already be in this graph) and return it."""
        full_meta = {"role": "forward", **self._meta_defaults, **(meta or {})}
        node = Node(self, op, inputs, attrs, aval, self.unique_name(name or op), location,
                    full_meta, value)
        self.nodes.append(node)
        self.version += 1
        self._by_name[node.name] = node
        return node

    def exchange(self, a: Node, b: Node) -> None:
        """Let the node objects ``a`` and ``b`` trade places: each takes the other's op,
        inputs, attrs, aval, name, position and users. The graph computes the same; only
        which Python object stands for which value changes (an in-place write on a graph
        value makes the written object stand for the new value: `static.node_updates`)."""
        fields = ("op", "inputs", "attrs", "aval", "name", "location", "meta", "value")
        for f in fields:
            va, vb = getattr(a, f), getattr(b, f)
            setattr(a, f, vb)
            setattr(b, f, va)
        ia = next(i for i, n in enumerate(self.nodes) if n is a)
        ib = next(i for i, n in enumerate(self.nodes) if n is b)
        self.nodes[ia], self.nodes[ib] = b, a
        self._by_name[a.name], self._by_name[b.name] = a, b
        for n in self.nodes[min(ia, ib):]:
            if any(i is a or i is b for i in n.inputs):
                n.inputs = tuple(b if i is a else a if i is b else i for i in n.inputs)
        self.version += 1

    def rename(self, node: Node, name: str) -> Node:
        """Give ``node`` a new readable name (made unique); returns the node."""
        del self._by_name[node.name]
        node.name = self.unique_name(name)
        self._by_name[node.name] = node
        return node

    def remove(self, nodes) -> None:
        """Delete ``nodes`` from the graph; none of the remaining nodes may use them."""
        doomed = set(nodes)
        for n in self.nodes:
            if n not in doomed and any(i in doomed for i in n.inputs):
                used = next(i for i in n.inputs if i in doomed)
                raise ValueError(f"cannot remove %{used.name}: %{n.name} uses it")
        self.nodes = [n for n in self.nodes if n not in doomed]
        self.version += 1
        for n in doomed:
            if self._by_name.get(n.name) is n:
                del self._by_name[n.name]

    def renumber(self, nodes) -> None:
        """Rename auto-named ``nodes`` (``mul_7``) to the lowest free numbers again, in order:
        after nodes were removed, the listing reads ``mul, mul_1, ...`` without gaps."""
        nodes = list(nodes)
        for n in nodes:
            del self._by_name[n.name]
        bases = [_SUFFIX.sub("", n.name) for n in nodes]
        # The highest suffix still in use per base, in one walk over the names (a walk per
        # base made renumbering O(bases x nodes)). Names are sanitized: digits are ASCII.
        highest: dict[str, int] = dict.fromkeys(bases, -1)
        for name in self._by_name:
            if name in highest:
                highest[name] = max(highest[name], 0)
            head, sep, tail = name.rpartition("_")
            if sep and head in highest and tail.isdigit():
                highest[head] = max(highest[head], int(tail))
        for base, top in highest.items():
            if top < 0:
                self._name_counts.pop(base, None)
            else:
                self._name_counts[base] = top
        for n, base in zip(nodes, bases, strict=True):
            n.name = self.unique_name(base)
            self._by_name[n.name] = n

    @contextlib.contextmanager
    def meta_scope(self, **meta: Any) -> Iterator[None]:
        """Every node created inside the block gets these ``meta`` entries."""
        saved = self._meta_defaults
        self._meta_defaults = {**saved, **meta}
        try:
            yield
        finally:
            self._meta_defaults = saved

    # -- queries ----------------------------------------------------------------------------
    def __getitem__(self, name: str) -> Node:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"graph has no node named {name!r}") from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._by_name
        return isinstance(item, Node) and self._by_name.get(item.name) is item

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def placeholders(self) -> list[Node]:
        """The graph's inputs, in creation order."""
        return [n for n in self.nodes if n.op == "placeholder"]

    def variables(self, trainable: bool | None = None) -> list[Node]:
        """Variable nodes; ``trainable=True`` leaves out optimizer slots and step counters."""
        return [n for n in self.nodes if n.op == "variable"
                and (trainable is None or n.attrs.get("trainable", True) == trainable)]

    def users(self) -> dict[Node, list[Node]]:
        """For every node, the nodes that take it as an input (in graph order)."""
        # Dicts as ordered sets: a node with many users (a shared constant, a weight used at
        # every step of an unrolled loop) would make list membership tests quadratic.
        users: dict[Node, dict[Node, None]] = {n: {} for n in self.nodes}
        for n in self.nodes:
            for i in n.inputs:
                users[i][n] = None
        return {n: list(u) for n, u in users.items()}

    # -- default graph ----------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator[Graph]:
        """Make this graph the one builder calls add to, inside the block."""
        _default_stack.append(self)
        try:
            yield self
        finally:
            _default_stack.pop()

    def __enter__(self) -> Graph:
        _default_stack.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _default_stack.pop()

    # -- listing ----------------------------------------------------------------------------
    def __str__(self) -> str:
        return format_listing(self.nodes)

    def __repr__(self) -> str:
        return f"<Graph: {len(self.nodes)} nodes>"


_default_stack: list[Graph] = []
_global_default = Graph()


def get_default_graph() -> Graph:
    """The graph builder calls add to: the innermost ``with graph:``, else a global one."""
    return _default_stack[-1] if _default_stack else _global_default


def reset_default_graph() -> Graph:
    """Replace the global default graph with a new empty one (tf.reset_default_graph)."""
    global _global_default
    _global_default = Graph()
    return _global_default
