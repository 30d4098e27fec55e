"""A registry-walk case staged into a static graph (the op on placeholders), for the walks
that run the cases through the static Session, the compiler or the ONNX exporter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from walk_support import flat_inputs, input_shapes

import static
from shared_ops import OPS


class StagedCase(NamedTuple):
    graph: static.Graph
    flat: list  # the case's inputs, flat (a variadic op's list spread out)
    holders: dict[int, static.Node]  # the placeholder of each array input, by flat position
    outs: list  # the op's output nodes
    made_unknown: bool  # whether a dim was made unknown (see walk_support.input_shapes)

    def feeds(self) -> dict:
        return {node: self.flat[i] for i, node in self.holders.items()}


def stage_case(c: Any, unknown_dim: bool,
               convert: Callable[[Any], Any] | None = None) -> StagedCase:
    """The case's op on placeholders named ``in<position>``, with the first input's first dim
    unknown when ``unknown_dim``; ``convert`` maps each flat input first (to float32, say).
    Errors of the op itself propagate."""
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)
    if convert is not None:
        flat = [convert(a) for a in flat]
    shapes, made_unknown = input_shapes(flat, unknown_dim)
    g = static.Graph()
    with g:
        holders = {i: static.placeholder(shape, flat[i].dtype, name=f"in{i}")
                   for i, shape in shapes.items()}
        out = op(*rebuild([holders.get(i, a) for i, a in enumerate(flat)]), **c.attrs)
    outs = list(out) if isinstance(out, list | tuple) else [out]
    return StagedCase(g, flat, holders, outs, made_unknown)


def float32(a: Any) -> Any:
    """``a`` as float32 when it is a float64 array (for backends that want float32)."""
    return a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a
