"""The whole op -> ONNX table: importing this module registers every converter.

    >>> from static.onnx.table import mapping_table
    >>> {op: onnx for op, onnx, _ in mapping_table()}["matmul"]
    'MatMul'
"""

from __future__ import annotations

from . import (  # noqa: F401 (each registers its converters)
    table_elementwise,
    table_index,
    table_losses,
    table_nn,
    table_recurrent,
    table_reduce,
    table_shape,
)
from .registry import CONVERTERS

# Ops of the static mode itself (not in the shared registry) and how they export.
STATIC_ROWS = {
    "placeholder": "graph input (unknown dims become named dynamic dims)",
    "variable": "initializer, under the parameter's name",
    "constant": "initializer (a Constant node inside a body)",
    "cond": "If (both branches as subgraphs)",
    "while_loop": "Loop (the first test also runs before it)",
    "scan": "Scan (Loop when it scans no sequence)",
    "tuple_get": "(an output of the If/Loop/Scan, named after it)",
}


def mapping_table() -> list[tuple[str, str, str]]:
    """(op, ONNX ops, note) for every op the exporter maps: static-only ops first, then the
    shared ops by name."""
    rows = [(op, text, "") for op, text in STATIC_ROWS.items()]
    rows += [(op, CONVERTERS[op].onnx_ops, CONVERTERS[op].note) for op in sorted(CONVERTERS)]
    return rows


def unmapped(ops) -> list[str]:
    """Which of ``ops`` (names) have no ONNX mapping."""
    return sorted(op for op in ops if op not in CONVERTERS and op not in STATIC_ROWS)
