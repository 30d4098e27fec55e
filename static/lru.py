"""`LRU`: the bound on every cache of compiled work, least recently used out first.

A long-running process meets ever new shapes (a last short batch, sequence lengths) and, if
it edits its graph between runs, ever new graph versions. Each shape or version costs a plan
with its own buffers, so no cache of such work may grow without bound. Every one of them is
an `LRU` with one of these documented defaults, changeable per object:

================  ==========================================  ===============================
default           bounds                                      change it with
================  ==========================================  ===============================
``MAX_PLANS``     generated plans of one compiled step (one   ``static.compile(...,
                  per feed signature, each with its buffers)  max_plans=)``, ``compiled.cache
                                                              .max_plans``
``MAX_STEPS``     compiled steps of one Session (one per      ``Session(g, max_steps=)``
                  fetch list and feed set)
``MAX_TRACES``    traces of one ``static.function`` (one per  ``function(f, max_traces=)``,
                  call signature, each with its Session)      ``f.max_traces``
================  ==========================================  ===============================

An eviction is counted (``evictions``), and a ``static.function`` writes each one to its
`TraceLedger`, next to the retrace it may cause.

    >>> cache = LRU(2)
    >>> cache.add("a", 1), cache.add("b", 2), cache.get("a"), cache.add("c", 3)
    ([], [], 1, [('b', 2)])
    >>> list(cache), cache.evictions
    (['a', 'c'], 1)
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

MAX_PLANS = 64
MAX_STEPS = 64
MAX_TRACES = 64


def check_limit(limit: Any, what: str) -> int:
    """``limit`` as a cache size: an int of at least 1 (a cache of none would recompile on
    every call)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"{what} must be an int >= 1, got {limit!r}")
    return limit


class LRU(OrderedDict):
    """An ordered dict of at most ``limit`` entries; `get` and `add` mark an entry used,
    `add` drops the least recently used ones beyond the limit and returns them. Plain item
    access (``cache[key]``) reads without marking, for hot paths that mark with
    ``move_to_end`` themselves."""

    def __init__(self, limit: int, what: str = "limit"):
        super().__init__()
        self.what = what
        self.limit = check_limit(limit, what)
        self.evictions = 0

    def get(self, key: Any, default: Any = None) -> Any:
        """The value of ``key`` (now the most recently used), or ``default``."""
        try:
            self.move_to_end(key)
        except KeyError:
            return default
        return self[key]

    def add(self, key: Any, value: Any) -> list[tuple[Any, Any]]:
        """Store ``value`` as the most recently used; returns the (key, value) pairs evicted
        to stay within ``limit``."""
        self[key] = value
        self.move_to_end(key)
        return self.trim()

    def resize(self, limit: int) -> list[tuple[Any, Any]]:
        """Change ``limit``; returns what no longer fits (least recently used first)."""
        self.limit = check_limit(limit, self.what)
        return self.trim()

    def trim(self) -> list[tuple[Any, Any]]:
        """Evict the least recently used entries beyond ``limit``; returns them."""
        evicted = []
        while len(self) > self.limit:
            evicted.append(self.popitem(last=False))
        self.evictions += len(evicted)
        return evicted
