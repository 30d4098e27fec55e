"""The whole op -> ONNX table: importing this module registers every converter.

    >>> from static.onnx.table import mapping_table
    >>> dict(mapping_table())["matmul"]
    'MatMul'
"""

from __future__ import annotations

from . import (  # noqa: F401 (each registers its converters)
    table_elementwise,
    table_index,
    table_losses,
    table_nn,
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


def mapping_table() -> list[tuple[str, str]]:
    """(op, ONNX ops) for every op the exporter maps, static-only ops first, then by name."""
    rows = list(STATIC_ROWS.items())
    for op in sorted(CONVERTERS):
        m = CONVERTERS[op]
        rows.append((op, m.onnx_ops + (f" ({m.note})" if m.note else "")))
    return rows


def unmapped(ops) -> list[str]:
    """Which of ``ops`` (names) have no ONNX mapping."""
    return sorted(op for op in ops if op not in CONVERTERS and op not in STATIC_ROWS)
