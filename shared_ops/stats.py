"""Counts of the op library: how many ops, primitives and composites, listed by family.

Run ``python -m shared_ops.stats``. A family is the ``shared_ops.ops`` module that declares
the op (``elementwise_math``, ``reductions``, ...): the op appears in that module's
``__all__``. Keeping the primitive count small is a design goal (see DESIGN.md), so this is
the number to watch when adding ops.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from . import ops as _ops_pkg
from .registry import OPS, Composite, Op


def families() -> dict[str, list[Op | Composite]]:
    """Every registered op grouped by the ops module whose ``__all__`` declares it."""
    seen: set[str] = set()
    groups: dict[str, list] = defaultdict(list)
    for info in sorted(pkgutil.iter_modules(_ops_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_ops_pkg.__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            op = getattr(module, name, None)
            if isinstance(op, Op | Composite) and OPS.get(op.name) is op \
                    and op.name not in seen:
                seen.add(op.name)
                groups[info.name].append(op)
    for name, op in OPS.items():  # declared outside shared_ops.ops (or not exported)
        if name not in seen:
            groups["other"].append(op)
    return dict(groups)


def summary() -> str:
    """The text ``python -m shared_ops.stats`` prints."""
    groups = families()  # first: it imports every ops module, which may register more ops
    n_prim = sum(1 for op in OPS.values() if isinstance(op, Op))
    lines = [f"{len(OPS)} ops: {n_prim} primitives, {len(OPS) - n_prim} composites", ""]
    for family, members in groups.items():
        prims = sorted(op.name for op in members if isinstance(op, Op))
        comps = sorted(op.name for op in members if isinstance(op, Composite))
        lines.append(f"{family} ({len(prims)} primitives, {len(comps)} composites)")
        if prims:
            lines.append("  primitives: " + ", ".join(prims))
        if comps:
            lines.append("  composites: " + ", ".join(comps))
    return "\n".join(lines)


def main() -> None:
    print(summary())


if __name__ == "__main__":
    main()
