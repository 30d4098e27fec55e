"""Export a static graph to networkx, for analyses the IR does not do itself.

Each node becomes a networkx node keyed by its name, with the attributes ``op``, ``shape``,
``dtype``, ``role``, ``location`` (``model.py:12`` or ``None``), ``attrs`` and ``composite``;
each edge carries the position of the input (``index``) and the value's ``shape``/``dtype``.
A node that uses the same input twice (``x * x``) gets one edge listing both positions.

    >>> nx_graph = to_networkx(g)                        # doctest: +SKIP
    >>> nx_graph.nodes["h"]["op"]                        # doctest: +SKIP
    'matmul'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .graph import Graph, format_location
from .tracing import Traced

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(graph: Graph | Traced) -> nx.DiGraph:
    """A `networkx.DiGraph` with one node per graph node (keyed by name), edges input -> user."""
    import networkx as nx  # imported here: it costs ~0.8 s, and only analyses need it

    graph = getattr(graph, "graph", graph)  # a `Traced` exports its graph
    out = nx.DiGraph()
    for node in graph.nodes:
        out.add_node(node.name, op=node.op, shape=tuple(node.shape), dtype=str(node.dtype),
                     role=node.meta.get("role"), location=format_location(node.location) or None,
                     attrs=dict(node.attrs), composite=tuple(node.meta.get("composite") or ()))
    for node in graph.nodes:
        for index, src in enumerate(node.inputs):
            if out.has_edge(src.name, node.name):
                out.edges[src.name, node.name]["index"] += (index,)
                continue
            out.add_edge(src.name, node.name, index=(index,), shape=tuple(src.shape),
                         dtype=str(src.dtype))
    return out
