"""The emitter: what a converter writes ONNX nodes with, one graph scope at a time.

A converter (`static.onnx.table`) turns one static node into a few ONNX nodes by calling
``e.op("MatMul", a, b)``; the emitter names every value uniquely in the whole model, gives each
ONNX node the static node's name and its source line as ``doc_string``, and holds small
constants (axes, shapes) as initializers of the main graph or ``Constant`` nodes inside a
control-flow body. Nodes are kept as plain records until the end, so the last value a converter
returns can be renamed to the static node's own name (a Netron reader sees ``%fc1`` as
``fc1``, not ``fc1/MatMul_3``).

This module needs ``onnx`` (the optional ``onnx`` extra); the converter tables do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ..graph import Node
from .errors import OnnxExportError


def onnx_dtype(dtype: Any) -> int:
    """The ONNX element type of a NumPy dtype (``float32`` -> ``TensorProto.FLOAT``)."""
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


@dataclass
class Record:
    """One ONNX node before it is made: renaming its outputs stays a list operation."""

    op_type: str
    inputs: list[str]
    outputs: list[str]
    name: str
    attrs: dict[str, Any]
    doc: str

    def make(self) -> onnx.NodeProto:
        return helper.make_node(self.op_type, self.inputs, self.outputs, name=self.name,
                                doc_string=self.doc or None, **self.attrs)


@dataclass
class Names:
    """Every value and node name handed out in the model (ONNX wants them unique across
    nested graphs too: a body may read, but not redefine, its outer scope's names)."""

    used: set[str] = field(default_factory=set)

    def fresh(self, base: str) -> str:
        name, k = base, 0
        while name in self.used:
            k += 1
            name = f"{base}_{k}"
        self.used.add(name)
        return name


class Emitter:
    """Writes the ONNX nodes of one graph scope (the main graph, or one body)."""

    def __init__(self, opset: int, names: Names, *, top_level: bool,
                 env: dict[Node, Any] | None = None, prefix: str = "") -> None:
        self.opset = opset
        self.names = names
        self.top_level = top_level
        self.prefix = prefix
        # static node -> its ONNX value name (a tuple of names for a control node). A body's
        # env starts from its enclosing scope's, so captured values resolve to outer names.
        self.env: dict[Node, Any] = dict(env or {})
        self.records: list[Record] = []
        self.initializers: list[onnx.TensorProto] = []
        self.node: Node | None = None  # the static node being converted
        self._doc = ""
        self._base = ""
        self._node_name = ""

    # -- what converters call -----------------------------------------------------------------
    def op(self, op_type: str, *inputs: str, n_out: int = 1, **attrs: Any) -> Any:
        """Append one ONNX node; returns its output name (a list when ``n_out`` > 1). An
        input ``""`` is an omitted optional input."""
        outs = [self.names.fresh(f"{self._base}/{op_type}") for _ in range(n_out)]
        name = outs[0] if n_out == 1 else self.names.fresh(f"{self._base}/{op_type}")
        attrs = {k: _attr(v) for k, v in attrs.items() if v is not None}
        self.records.append(Record(op_type, list(inputs), outs, name, attrs, self._doc))
        return outs[0] if n_out == 1 else outs

    def const(self, value: Any, dtype: Any = None) -> str:
        """A constant tensor (an initializer of the main graph, a ``Constant`` node inside a
        body): for the axes, shapes and scalars ONNX takes as inputs."""
        array = np.asarray(value, dtype=dtype)
        if self.top_level:
            name = self.names.fresh(f"{self._base}/const" if self._base else "const")
            self.initializers.append(numpy_helper.from_array(array, name))
            return name
        return self.op("Constant", value=numpy_helper.from_array(array))

    def tensor(self, array: np.ndarray) -> onnx.TensorProto:
        """``array`` as a tensor attribute value (ConstantOfShape's ``value``...)."""
        return numpy_helper.from_array(np.asarray(array))

    def ints(self, values: Any) -> str:
        """A 1-d int64 constant (axes, starts, shapes)."""
        return self.const(np.asarray(list(values), np.int64).reshape(-1))

    def onnx_type(self, dtype: Any) -> int:
        """The ONNX element type of a NumPy dtype (for ``Cast``'s ``to``)."""
        return onnx_dtype(dtype)

    def cast(self, name: str, from_dtype: Any, to_dtype: Any) -> str:
        """``name`` as ``to_dtype`` (no node when the dtypes agree)."""
        if np.dtype(from_dtype) == np.dtype(to_dtype):
            return name
        return self.op("Cast", name, to=onnx_dtype(to_dtype))

    def shape_dim(self, name: str, axis: int) -> str:
        """Dim ``axis`` of ``name``'s shape as a 1-element int64 tensor."""
        end = None if axis == -1 else axis + 1
        return self.op("Shape", name, start=axis, end=end)

    def subgraph(self, label: str, inputs: list[tuple[str, Any]], build: Any,
                 out_dtypes: list[Any]) -> onnx.GraphProto:
        """A subgraph (an If branch, a Scan body) for the node being converted: its formal
        ``inputs`` are (stem, dtype) pairs; ``build(child, names)`` writes its nodes with the
        emitter ``child`` and returns its outputs' names, typed ``out_dtypes``. Outer values
        are read by name."""
        base = self.names.fresh(f"{self._base}/{label}")
        child = Emitter(self.opset, self.names, top_level=False, env=self.env,
                        prefix=f"{base}/")
        child.node, child._doc, child._base, child._node_name = self.node, self._doc, base, base
        names = [self.names.fresh(f"{base}/{stem}") for stem, _ in inputs]
        outs = []
        for k, (value, dtype) in enumerate(zip(build(child, names), out_dtypes, strict=True)):
            out = self.names.fresh(f"{base}/out_{k}")
            child.records.append(Record("Identity", [value], [out], out, {}, self._doc))
            outs.append(helper.make_tensor_value_info(out, onnx_dtype(dtype), None))
        ins = [helper.make_tensor_value_info(n, onnx_dtype(d), None)
               for n, (_, d) in zip(names, inputs, strict=True)]
        return helper.make_graph(child.nodes(), base, ins, outs)

    def choose(self, pred: str, then_fn: Any, else_fn: Any, dtype: Any) -> str:
        """An ``If`` on ``pred`` whose branches are what ``then_fn(e)``/``else_fn(e)`` write
        (each gets an emitter for its branch and returns its value's name)."""
        graphs = {key: self.subgraph(key, [], lambda child, _, fn=fn: [fn(child)], [dtype])
                  for key, fn in (("then_branch", then_fn), ("else_branch", else_fn))}
        return self.op("If", pred, **graphs)

    def fail(self, detail: str) -> OnnxExportError:
        """The error for the node being converted: its op, name and the user's line."""
        node = self.node
        return OnnxExportError(node.op, f"{detail} (node %{node.name})", location=node.location,
                               shapes=[i.aval.shape for i in node.inputs])

    # -- driven by the exporter ---------------------------------------------------------------
    def begin(self, node: Node) -> str:
        """Start converting ``node``: its final value name, reserved now so that no helper
        value can take it. A node traced inside a module call (``meta["module"]``, see
        `static.summary.module_scopes`) has its ONNX nodes named under the module's path,
        as the user's attribute names read (``fc1/matmul``, ``fc1/matmul/Transpose``)."""
        self.node = node
        self._doc = "" if node.location is None else str(node.location)
        module = node.meta.get("module")
        if module:
            self._doc += f" (module {module}: {node.meta.get('module_type', '?')})"
        final = self.names.fresh(self.prefix + node.name)
        self._node_name = self.names.fresh(f"{self.prefix}{module}/{node.name}") if module \
            else final
        self._base = self._node_name
        return final

    def finish(self, start: int, result: str, final: str) -> str:
        """Give ``result`` (made by the records from ``start`` on, or an existing value) the
        static node's name ``final``; returns it."""
        made = [r for r in self.records[start:] if result in r.outputs]
        if not made:  # the converter returned an existing value (an identity-like op)
            self.records.append(Record("Identity", [result], [final], self._node_name, {},
                                       self._doc))
            return final
        for r in self.records[start:]:
            r.outputs = [final if o == result else o for o in r.outputs]
            r.inputs = [final if i == result else i for i in r.inputs]
        rec = made[-1]
        if rec.name == result:  # the node producing the value takes the static node's name
            rec.name = self._node_name
        return final

    def nodes(self) -> list[onnx.NodeProto]:
        return [r.make() for r in self.records]


def _attr(value: Any) -> Any:
    """Attribute values as onnx.helper takes them (tuples as lists, NumPy ints as ints)."""
    if isinstance(value, tuple):
        return [_attr(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
