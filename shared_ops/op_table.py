"""The table of registered ops by name: `registry` fills it, anyone may read it.

It sits below both `registry` (which declares ops) and `dispatch` (which, to promote dtypes,
calls the ``cast`` op by name), so that neither has to import the other to find an op.

    >>> from shared_ops.op_table import OPS
    >>> OPS["add"]
    <op add>
"""

from __future__ import annotations

from typing import Any

# name -> `registry.Op` or `registry.Composite` (typed loosely: this module sits below them).
OPS: dict[str, Any] = {}


def register(op: Any) -> Any:
    """Add an op (anything with a ``name``) to the table; a name may be registered once."""
    if op.name in OPS:
        raise ValueError(f"op {op.name!r} is already registered")
    OPS[op.name] = op
    return op
