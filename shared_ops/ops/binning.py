"""Counting and binning (primitives without gradients, as in PyTorch): ``histc``,
``bincount``, ``searchsorted``/``bucketize``, and the indices ``torch.mode`` and
``torch.kthvalue`` return (``mode_index``, ``kthvalue_index``).

``bincount``'s length depends on the values (``max + 1``): a graph knows it only when it runs.

    >>> import numpy as np
    >>> bincount(np.array([0, 1, 1, 3])), searchsorted(np.array([1.0, 3.0]), np.array([2.0]))
    (array([1, 2, 0, 1]), array([1]))
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axis
from ..errors import DTypeError, OpValueError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import shapes_agree

_COUNTS = dict(differentiable_output=False, fresh=True)


# --- histc -------------------------------------------------------------------------------------
def _histc_check(x_dtype: np.dtype, bins: int, low: float, high: float) -> None:
    if x_dtype.kind != "f":
        raise DTypeError("histc", f"\"histogram_cpu\" not implemented for '{x_dtype}'",
                         dtypes=[x_dtype])
    if bins <= 0:
        raise OpValueError("histc", f"bins must be > 0, but got {bins} for dimension 0")
    if low > high:
        raise OpValueError("histc", "max must be larger than min")


def _histc_kernel(x, bins: int = 100, min: float = 0, max: float = 0):  # noqa: A002
    _histc_check(x.dtype, bins, min, max)
    low, high = float(min), float(max)
    if low == high and x.size:  # the data's own range
        low, high = float(np.min(x)), float(np.max(x))
    if low == high:
        low, high = low - 1, high + 1
    if not (np.isfinite(low) and np.isfinite(high)):
        raise OpValueError("histc", f"range of [{low:g}, {high:g}] is not finite")
    # PyTorch's bin of each value, computed as its kernel does in the input's dtype:
    # (x - low) * bins / (high - low), truncated, the right edge going to the last bin.
    # (np.histogram's float64 edges put float32 values near an edge into another bin.)
    lo, hi = x.dtype.type(low), x.dtype.type(high)
    inside = x[(x >= lo) & (x <= hi)]
    position = ((inside - lo) * x.dtype.type(bins) / (hi - lo)).astype(np.int64)
    position = np.minimum(position, bins - 1)
    return np.bincount(position.reshape(-1), minlength=bins).astype(x.dtype)


def _histc_rule(x: Aval, bins: int = 100, min: float = 0, max: float = 0) -> Aval:  # noqa: A002
    _histc_check(x.dtype, bins, min, max)
    return Aval((bins,), x.dtype)


histc = primitive("histc", _histc_kernel, _histc_rule, None, **_COUNTS,
                  doc="Counts of values in ``bins`` equal bins over [min, max] (the data's "
                      "range when min == max); values outside are ignored.")


# --- bincount ----------------------------------------------------------------------------------
def _bincount_check(x_dtype: np.dtype, ndim: int, minlength: int) -> None:
    if x_dtype.kind not in "iub":
        raise DTypeError("bincount", f"\"bincount_cpu\" not implemented for "
                         f"'{x_dtype}'", dtypes=[x_dtype])
    if ndim != 1:
        raise ShapeError("bincount", "bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise OpValueError("bincount", "minlength should be >= 0")


def _bincount_kernel(x, *weights, minlength: int = 0):
    _bincount_check(x.dtype, x.ndim, minlength)
    if x.size and x.min() < 0:
        raise OpValueError("bincount", "bincount only supports 1-d non-negative integral "
                           "inputs.")
    if weights:
        (w,) = weights
        if w.shape != x.shape:
            raise ShapeError("bincount", "weights should be 1-d and have the same length as "
                             f"input (got {describe_shapes(w.shape, x.shape)})")
        return np.bincount(x, weights=w, minlength=minlength).astype(
            w.dtype if w.dtype.kind == "f" else np.float64)
    return np.bincount(x, minlength=minlength).astype(np.int64)


def _bincount_rule(x: Aval, *weights: Aval, minlength: int = 0) -> Aval:
    _bincount_check(x.dtype, x.ndim, minlength)
    dtype = np.dtype(np.int64) if not weights else (
        weights[0].dtype if weights[0].dtype.kind == "f" else np.dtype(np.float64))
    return Aval((None,), dtype)


bincount = primitive("bincount", _bincount_kernel, _bincount_rule, None, **_COUNTS,
                     doc="How often each value 0..max(x) occurs (summing ``weights`` if "
                         "given), at least ``minlength`` long.")


# --- searchsorted / bucketize ------------------------------------------------------------------
def _searchsorted_check(sequence_shape: tuple, values_shape: tuple) -> None:
    if len(sequence_shape) > 1 and not shapes_agree(sequence_shape[:-1], values_shape[:-1]):
        raise ShapeError("searchsorted", "boundaries tensor should be 1 dimension or the first "
                         "N-1 dimensions of boundaries tensor and input value tensor must "
                         f"match, but we got boundaries tensor {list(sequence_shape)} "
                         f"and input value tensor {list(values_shape)}",
                         shapes=[sequence_shape, values_shape])


def _searchsorted_kernel(sorted_sequence, values, right: bool = False, out_int32: bool = False):
    # Checked here too: eager runs kernels without their shape rule, and the row-wise search
    # below would otherwise regroup mismatched values silently.
    _searchsorted_check(sorted_sequence.shape, values.shape)
    side = "right" if right else "left"
    dtype = np.int32 if out_int32 else np.int64
    if sorted_sequence.ndim == 1:
        return np.searchsorted(sorted_sequence, values, side=side).astype(dtype)
    rows = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    queries = values.reshape(rows.shape[0], -1)
    out = np.stack([np.searchsorted(r, q, side=side) for r, q in zip(rows, queries,
                                                                      strict=True)])
    return out.reshape(values.shape).astype(dtype)


def _searchsorted_rule(sorted_sequence: Aval, values: Aval, right: bool = False,
                       out_int32: bool = False) -> Aval:
    _searchsorted_check(sorted_sequence.shape, values.shape)
    return Aval(values.shape, np.dtype(np.int32 if out_int32 else np.int64))


searchsorted = primitive("searchsorted", _searchsorted_kernel, _searchsorted_rule, None,
                         promote=True, **_COUNTS,
                         doc="Where each of ``values`` would go in the innermost sorted dim "
                             "(the first such place, or the last with ``right``).")


# --- mode_index --------------------------------------------------------------------------------
def _last_mode(row: np.ndarray) -> int:
    values, counts = np.unique(row, return_counts=True)  # ascending: the smallest wins ties
    best = values[np.argmax(counts)]
    return int(np.flatnonzero(row == best)[-1])


def _mode_index_kernel(x, dim: int = -1):
    axis = normalize_axis("mode_index", dim, max(x.ndim, 1))
    if x.ndim == 0:
        return np.zeros((), np.int64)
    if x.size == 0:  # no slice to look at (apply_along_axis refuses)
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], np.int64)
    return np.apply_along_axis(_last_mode, axis, x).astype(np.int64)


def _index_along_rule(name: str):
    """The rule of an op picking one index along ``dim`` (which it drops): int64."""

    def rule(x: Aval, dim: int = -1, k: int = 1) -> Aval:
        if x.ndim == 0:
            return Aval((), np.dtype(np.int64))
        axis = normalize_axis(name, dim, x.ndim)
        return Aval(x.shape[:axis] + x.shape[axis + 1:], np.dtype(np.int64))

    return rule


mode_index = primitive("mode_index", _mode_index_kernel, _index_along_rule("mode_index"), None,
                       **_COUNTS,
                       doc="The index along ``dim`` of the last occurrence of the most "
                           "frequent value (the smallest such value), as torch.mode.")



# --- kthvalue_index ----------------------------------------------------------------------------
def _greater(a: float, b: float) -> bool:
    """a > b with nan above every number (the order the selection sorts by)."""
    return a > b or (a != a and b == b)


def _quickselect(row: np.ndarray, k: int) -> int:
    """The original position of the rank-k entry (0-based) as PyTorch's CPU kthvalue finds it:
    the median-of-three quickselect of Numerical Recipes over (value, position) pairs, whose
    swaps decide which of several equal entries is returned."""
    values, positions = row.tolist(), list(range(len(row)))

    def swap(i: int, j: int) -> None:
        values[i], values[j] = values[j], values[i]
        positions[i], positions[j] = positions[j], positions[i]

    low, high = 0, len(values) - 1
    while high > low + 1:
        middle = low + (high - low) // 2
        swap(middle, low + 1)
        if _greater(values[low + 1], values[high]):
            swap(low + 1, high)
        if _greater(values[low], values[high]):
            swap(low, high)
        if _greater(values[low + 1], values[low]):
            swap(low + 1, low)
        i, j, pivot = low + 1, high, values[low]
        while True:
            i += 1
            while _greater(pivot, values[i]):
                i += 1
            j -= 1
            while _greater(values[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(low, j)
        if j <= k:
            low = i
        if j >= k:
            high = j - 1
    if high == low + 1 and _greater(values[low], values[high]):
        swap(low, high)
    return positions[k]


def _kthvalue_index_kernel(x, k: int = 1, dim: int = -1):
    if x.ndim == 0:
        return np.zeros((), np.int64)
    axis = normalize_axis("kthvalue_index", dim, x.ndim)
    moved = np.moveaxis(x, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    picked = np.array([_quickselect(row, k - 1) for row in rows], dtype=np.int64)
    return picked.reshape(moved.shape[:-1])


kthvalue_index = primitive("kthvalue_index", _kthvalue_index_kernel,
                           _index_along_rule("kthvalue_index"), None,
                           **_COUNTS, doc="The index along ``dim`` of the k-th smallest entry "
                                          "(k from 1), the one PyTorch's selection returns on "
                                          "ties.")

__all__ = ["histc", "bincount", "searchsorted", "mode_index", "kthvalue_index"]
