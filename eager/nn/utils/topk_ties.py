"""Which entries PyTorch's CPU ``topk`` picks when values tie at the k-th place.

Pruning keeps or drops entries by ``topk``; where several magnitudes equal the k-th one, which
of them are taken depends on the selection algorithm, not on the values. PyTorch's CPU kernel
runs the C++ standard library's selection on (value, index) pairs compared by value only:
``partial_sort`` when ``k * 64 <= n``, else ``nth_element``, in the GNU implementation its
Linux builds use (introselect: median-of-three quicksort partitions, a heap select past the
depth limit, insertion sort on the last few). `topk_indices` replays that selection, so a
pruning mask matches PyTorch's even on ties. Without a tie across the k-th place the chosen
set is the same for any algorithm, and NumPy's ``argpartition`` gives it at once.

    >>> import numpy as np
    >>> sorted(topk_indices(np.array([1., 0., 0., 2., 0., 1., 0., 3., 1., 0., 1.]), 4,
    ...                     largest=False).tolist())
    [1, 4, 6, 9]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["topk_indices"]


def topk_indices(values: np.ndarray, k: int, largest: bool) -> np.ndarray:
    """The indices (into the 1-d ``values``) of the ``k`` entries PyTorch's CPU ``topk``
    selects (their order is not specified)."""
    n = values.size
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.isnan(values).any():
        key = -values if largest else values
        order = np.argpartition(key, k - 1)
        kth = key[order[k - 1]]
        if np.count_nonzero(key[order[:k]] == kth) == np.count_nonzero(key == kth):
            return order[:k].astype(np.int64)  # no tie across the k-th place: one answer
    v = values.tolist()
    if largest:
        def better(a: float, b: float) -> bool:  # NaN counts as the largest, as in PyTorch
            return (a != a and b == b) or a > b
    else:
        def better(a: float, b: float) -> bool:
            return (a == a and b != b) or a < b
    q = list(range(n))
    if k * 64 <= n:
        _heap_select(q, v, 0, k, n, better)  # partial_sort's selection step
    else:
        _introselect(q, v, 0, k - 1, n, 2 * int(math.log2(n)), better)
    return np.array(q[:k], dtype=np.int64)


Less = Callable[[float, float], bool]


def _introselect(q: list, v: list, first: int, nth: int, last: int, depth: int,
                 less: Less) -> None:
    while last - first > 3:
        if depth == 0:
            _heap_select(q, v, first, nth + 1, last, less)
            q[first], q[nth] = q[nth], q[first]
            return
        depth -= 1
        cut = _partition_pivot(q, v, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(q, v, first, last, less)


def _partition_pivot(q: list, v: list, first: int, last: int, less: Less) -> int:
    """Move the median of three to ``first`` and partition the rest around it."""
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    va, vb, vc = v[q[a]], v[q[b]], v[q[c]]
    if less(va, vb):
        median = b if less(vb, vc) else (c if less(va, vc) else a)
    else:
        median = a if less(va, vc) else (c if less(vb, vc) else b)
    q[first], q[median] = q[median], q[first]
    pivot = v[q[first]]
    lo, hi = first + 1, last
    while True:
        while less(v[q[lo]], pivot):
            lo += 1
        hi -= 1
        while less(pivot, v[q[hi]]):
            hi -= 1
        if lo >= hi:
            return lo
        q[lo], q[hi] = q[hi], q[lo]
        lo += 1


def _insertion_sort(q: list, v: list, first: int, last: int, less: Less) -> None:
    for i in range(first + 1, last):
        item = q[i]
        if less(v[item], v[q[first]]):
            q[first + 1:i + 1] = q[first:i]
            q[first] = item
            continue
        j = i
        while less(v[item], v[q[j - 1]]):
            q[j] = q[j - 1]
            j -= 1
        q[j] = item


def _heap_select(q: list, v: list, first: int, middle: int, last: int, less: Less) -> None:
    """Leave in ``q[first:middle]`` (as a heap) the ``middle - first`` best of the range."""
    length = middle - first
    if length >= 2:
        for parent in range((length - 2) // 2, -1, -1):
            _adjust_heap(q, v, first, parent, length, q[first + parent], less)
    for i in range(middle, last):
        if less(v[q[i]], v[q[first]]):
            item = q[i]
            q[i] = q[first]
            _adjust_heap(q, v, first, 0, length, item, less)


def _adjust_heap(q: list, v: list, base: int, hole: int, length: int, item: int,
                 less: Less) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(v[q[base + child]], v[q[base + child - 1]]):
            child -= 1
        q[base + hole] = q[base + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        q[base + hole] = q[base + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and less(v[q[base + parent]], v[item]):
        q[base + hole] = q[base + parent]
        hole = parent
        parent = (hole - 1) // 2
    q[base + hole] = item
