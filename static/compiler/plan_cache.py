"""`PlanCache`: a compiled step's generated plans, one per feed signature, bounded.

The generated code depends on the concrete feed shapes (buffers are planned for them), so a
`Compiled` keeps one `GeneratedStep` per signature ``((shape, dtype), ...)``. A step fed ever
new shapes would keep ever more plans and their buffers: at most ``max_plans`` are kept
(default `static.lru.MAX_PLANS`, 64), the least recently used goes first, and
``on_evict(signature, bound)`` hears of each eviction (``static.function`` writes it to its ledger).

    >>> cache = PlanCache(["x"], max_plans=2)
    >>> cache.describe((((3, 10), np.dtype("float32")),))
    '(x: f32[3,10])'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from shared_ops.dtypes import short_name

from ..lru import LRU, MAX_PLANS


class PlanCache:
    """Generated steps per feed signature, with hit, miss and eviction counts."""

    def __init__(self, names: Sequence[str], max_plans: int = MAX_PLANS):
        self.names = list(names)  # the feeds' placeholder names, to describe a signature
        self.plans = LRU(max_plans, "max_plans")
        self.hits = 0
        self.misses = 0
        # Told each evicted plan's signature and the bound: ("(x: f32[3,10])", "max_plans=64");
        # set by whoever keeps the record (a static.function's ledger), never the step itself.
        self.on_evict: Callable[[str, str], Any] | None = None

    def __len__(self) -> int:
        return len(self.plans)

    def __repr__(self) -> str:
        return (f"PlanCache(hits={self.hits}, misses={self.misses}, "
                f"evictions={self.evictions}, max_plans={self.max_plans})")

    @property
    def evictions(self) -> int:
        return self.plans.evictions

    @property
    def max_plans(self) -> int:
        return self.plans.limit

    @max_plans.setter
    def max_plans(self, limit: int) -> None:
        self._report(self.plans.resize(limit))

    def store(self, key: tuple, step: Any) -> None:
        """Keep ``step`` for signature ``key``, evicting the least recently used beyond the
        limit."""
        self._report(self.plans.add(key, step))

    def _report(self, evicted: list[tuple[Any, Any]]) -> None:
        if self.on_evict is not None:
            for key, _ in evicted:
                self.on_evict(self.describe(key), f"max_plans={self.max_plans}")

    def describe(self, key: tuple) -> str:
        """``(x: f32[3,10], y: i64[3])``: a feed signature with the placeholders' names."""
        return "(" + ", ".join(
            f"{name}: {short_name(np.dtype(dtype))}[{','.join(map(str, shape))}]"
            for name, (shape, dtype) in zip(self.names, key, strict=True)) + ")"
