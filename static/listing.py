"""The text listing of a graph: one line per node, readable like a small program.

    %x: f32[?,3] = placeholder()                       # model.py:3
    %matmul: f32[?,2] = matmul(%x, %fc1.weight)        # model.py:5
    %sum: f32[?,1] = sum(%mul, axis=1, keepdims=True)  # model.py:6
    %ones: f32[] = constant(1.0)                       # model.py:8, grad of %sum

Attrs print compactly (dtypes as ``f32``, tuples as ``(5,)``); those left at a kernel default
of ``None`` or ``False`` are omitted, so ``x.sum()`` reads ``sum(%x)``. The comment names the
user's line and, for gradient nodes, the forward node they are the gradient of.
"""

from __future__ import annotations

import functools
import inspect
import os
from typing import Any, Protocol

import numpy as np

import shared_ops
from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.errors import SourceLocation

from .node_methods import NodeMethods


class ListedNode(Protocol):
    """The fields of a node that its listing line shows: a `static.graph.Node` has them.
    (The listing reads plain data, so it sits below the graph module, which prints with it.)"""

    op: str
    attrs: dict[str, Any]
    aval: Aval
    name: str
    location: SourceLocation | None
    meta: dict[str, Any]
    value: np.ndarray | None

    @property  # read-only here: a Node's tuple of Nodes is then a tuple of ListedNodes
    def inputs(self) -> tuple[ListedNode, ...]: ...


def format_value(v: Any) -> str:
    """Compact attr values: dtypes as ``f32``, tuples as ``(5,)``, the rest as repr."""
    if isinstance(v, np.dtype | type) and v is not bool:
        try:
            return dt.short_name(np.dtype(v))
        except TypeError:
            return repr(v)
    if isinstance(v, tuple):
        inner = ", ".join(format_value(x) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    if isinstance(v, NodeMethods):
        return f"%{v.name}"
    if isinstance(v, np.generic):
        return str(v)  # shortest text that round-trips in its own dtype: 0.9, not 0.89999...
    return repr(v)


@functools.cache
def _kernel_defaults(op_name: str) -> dict[str, Any]:
    """Keyword defaults of an op's kernel (``sum``: axis=None, keepdims=False)."""
    op = shared_ops.OPS.get(op_name)
    try:
        params = inspect.signature(op.kernel).parameters.values()
    except (AttributeError, TypeError, ValueError):  # static op, or a NumPy ufunc
        return {}
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}


def _is_default(op: str, key: str, value: Any) -> bool:
    defaults = _kernel_defaults(op)
    if key not in defaults:
        return op == "variable" and key == "trainable" and value is True
    default = defaults[key]
    # Only "nothing special" defaults are left out (axis=None, keepdims=False); a default
    # that carries meaning stays visible: full_like(%x, fill_value=0).
    return (default is None or default is False) and value is default


def format_call(node: ListedNode) -> str:
    """``matmul(%x, %w)``, ``sum(%h, axis=1, keepdims=True)``, ``constant(1.0)``."""
    args = [f"%{i.name}" for i in node.inputs]
    if node.op == "constant" and node.value is not None and node.value.size == 1:
        args.append(format_value(node.value.reshape(())[()]))
    multi = "out_avals" in node.attrs  # a control-flow node: its avals head the line instead
    for k, v in node.attrs.items():
        if multi and (k == "out_avals" or v is None):
            continue
        if not _is_default(node.op, k, v):
            args.append(f"{k}={format_value(v)}")
    return f"{node.op}({', '.join(args)})"


def format_aval(node: ListedNode) -> str:
    """``f32[?,3]``; a control-flow node (a tuple of outputs) shows ``(f32[3], i64[])``."""
    avals = node.attrs.get("out_avals")
    if avals is None:
        return str(node.aval)
    return "(" + ", ".join(str(a) for a in avals) + ("," if len(avals) == 1 else "") + ")"


def nested_lines(node: ListedNode) -> list[str]:
    """The listings of the subgraphs a control-flow node holds (attrs with ``listing_lines``),
    indented under it."""
    out = []
    for v in node.attrs.values():
        for body in v if isinstance(v, tuple) else (v,):
            if hasattr(body, "listing_lines"):
                out.extend("    " + line for line in body.listing_lines())
    return out


def format_location(loc: SourceLocation | None) -> str:
    """``model.py:12``: the file's base name keeps listings stable across working dirs."""
    return "" if loc is None else f"{os.path.basename(loc.filename)}:{loc.lineno}"


def format_listing(nodes: list[ListedNode]) -> str:
    """One line per node; comments (source line, and for backward nodes the forward node
    they are the gradient of) aligned two columns past the longest line."""
    lines = [f"%{n.name}: {format_aval(n)} = {format_call(n)}" for n in nodes]
    width = max((len(s) for s in lines), default=0)
    out = []
    for node, line in zip(nodes, lines, strict=True):
        notes = [format_location(node.location)]
        if "grad_of" in node.meta:  # provenance makes gradient listings readable
            notes.append(f"grad of %{node.meta['grad_of']}")
        comment = ", ".join(n for n in notes if n)
        out.append(f"{line.ljust(width)}  # {comment}" if comment else line)
        if "out_avals" in node.attrs:
            out.extend(nested_lines(node))
    return "\n".join(out)
