"""Tensor methods of order statistics, counting and special math (``median``, ``kthvalue``,
``mode``, ``quantile``, ``nanquantile``, ``nanmean``, ``histc``, ``bincount``, ``lgamma``,
``atan2``...),
with PyTorch's signatures and structured results. Entries of `tensor_api_core.METHODS`.

Of equal entries, each picks the one PyTorch's kernels pick: the median's is the middle of
the stable sort order, ``kthvalue``'s the one its quickselect lands on, ``mode``'s the last
occurrence of the most frequent value.

    >>> import numpy as np
    >>> METHODS["median"](np.array([3.0, 1.0, 2.0, 5.0])).item()
    2.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .return_types import return_type
from .tensor_api_core import (
    METHODS,
    cast_to,
    dims_arg,
    method,
    op,
    scalar_type_name,
    shape_of,
    wrap_dim,
)

MedianResult = return_type("median", ("values", "indices"))
KthvalueResult = return_type("kthvalue", ("values", "indices"))
ModeResult = return_type("mode", ("values", "indices"))
AminmaxResult = return_type("aminmax", ("min", "max"))
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _dim_of(x: Any, dim: int) -> int:
    return wrap_dim(dim, len(shape_of(x)))


def _at(x: Any, position: Any, dim: int, keepdim: bool) -> Any:
    """Entries ``position`` (an int) along ``dim``, the dim kept or dropped."""
    index = (slice(None),) * dim + (slice(position, position + 1),)
    picked = op("getitem")(x, index)
    return picked if keepdim else op("squeeze")(picked, axis=dim)


def require_reduction_size(name: str, x: Any, dim: int) -> None:
    """PyTorch's IndexError for an order statistic along a dim of size 0 (which has no
    entry to pick; an empty tensor with a non-empty ``dim`` gives an empty result)."""
    if shape_of(x) and shape_of(x)[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


def _order_statistic(x: Any, position: int, dim: int, keepdim: bool) -> tuple:
    if len(shape_of(x)) == 0:
        return x, op("zeros_like")(x, dtype=np.dtype(np.int64))
    values, indices = op("sort")(x, dim, False, True)
    return _at(values, position, dim, keepdim), _at(indices, position, dim, keepdim)


@method("median")
def _median(self, dim: int | None = None, keepdim: bool = False):
    """The lower median (of the flattened tensor, or ``(values, indices)`` along ``dim``)."""
    if dim is None:
        flat = op("reshape")(self, shape=(-1,))
        n = shape_of(flat)[0]
        if n == 0:  # nothing to take the median of: nan, as PyTorch
            return op("add")(op("sum")(flat), np.nan)
        return _order_statistic(flat, (n - 1) // 2, 0, False)[0]
    d = _dim_of(self, dim)
    require_reduction_size("median", self, d)
    n = shape_of(self)[d] if shape_of(self) else 1
    return MedianResult(*_order_statistic(self, (n - 1) // 2, d, keepdim))


@method("kthvalue")
def _kthvalue(self, k: int, dim: int = -1, keepdim: bool = False):
    """``(values, indices)`` of the k-th smallest entries along ``dim`` (k from 1); of equal
    entries, the one PyTorch's selection picks."""
    d = _dim_of(self, dim)
    require_reduction_size("kthvalue", self, d)
    n = shape_of(self)[d] if shape_of(self) else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return KthvalueResult(*_picked(self, op("kthvalue_index")(self, k=k, dim=d), d, keepdim))


def _picked(x: Any, indices: Any, d: int, keepdim: bool) -> tuple:
    """``(values, indices)`` of x at ``indices`` along d (a dim they lack)."""
    if len(shape_of(x)) == 0:
        return x, indices
    kept = op("expand_dims")(indices, axis=d)
    values = op("take_along_axis")(x, kept, axis=d)
    return (values, kept) if keepdim else (op("squeeze")(values, axis=d), indices)


@method("mode")
def _mode(self, dim: int = -1, keepdim: bool = False):
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest of equally
    frequent ones) and the index of its last occurrence."""
    d = _dim_of(self, dim)
    require_reduction_size("mode", self, d)
    return ModeResult(*_picked(self, op("mode_index")(self, dim=d), d, keepdim))


@method("quantile")
def _quantile(self, q, dim: int | None = None, keepdim: bool = False, *,
              interpolation: str = "linear"):
    """The ``q``-quantiles (a number, or a 1-d list or tensor of them, each in [0, 1]) along
    ``dim`` (of the flattened tensor when None); a slice holding nan gives nan."""
    return _quantiles(self, q, dim, keepdim, interpolation, _one_quantile)


@method("nanquantile")
def _nanquantile(self, q, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear"):
    """``quantile`` of the entries that are not nan (a slice of nan only gives nan)."""
    return _quantiles(self, q, dim, keepdim, interpolation, _one_nanquantile)


def _quantiles(self, q, dim, keepdim: bool, interpolation: str, one) -> Any:
    """PyTorch's checks (its messages say quantile() for nanquantile too), then ``one`` of
    the sorted values for each q, shaped as PyTorch shapes them."""
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    qs = np.asarray(q, dtype=np.float64)
    if qs.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if qs.ndim == 0 and not 0 <= qs <= 1:
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {float(qs)}")
    if np.any((qs < 0) | (qs > 1)):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    if np.dtype(self.dtype).kind != "f":
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if 0 in shape_of(self):
        raise RuntimeError("quantile() input tensor must be non-empty")
    # A 0-d input is taken as one entry along its (only) dim 0 / -1, as PyTorch does.
    x = op("reshape")(self, shape=(-1,)) if dim is None or not shape_of(self) else self
    d = 0 if dim is None else _dim_of(self, dim)
    values = op("sort")(x, d, False, True)[0]  # nan last
    results = [one(values, float(p), d, interpolation) for p in qs.reshape(-1)]
    if dim is not None and not shape_of(self):
        stacked = [op("reshape")(r, shape=()) for r in results]
    elif dim is not None:
        stacked = [r if keepdim else op("squeeze")(r, axis=d) for r in results]
    elif keepdim:
        stacked = [op("reshape")(r, shape=(1,) * len(shape_of(self))) for r in results]
    else:
        stacked = [op("reshape")(r, shape=()) for r in results]
    if qs.ndim == 0:
        return stacked[0]
    return op("stack")(stacked, axis=0)


def _one_quantile(values: Any, p: float, d: int, interpolation: str) -> Any:
    n = shape_of(values)[d]
    rank = p * (n - 1)
    below, above = int(np.floor(rank)), int(np.ceil(rank))
    low, high = _at(values, below, d, True), _at(values, above, d, True)
    if interpolation == "lower":
        result = low
    elif interpolation == "higher":
        result = high
    elif interpolation == "nearest":
        result = low if np.round(rank) == below else high
    else:
        weight = 0.5 if interpolation == "midpoint" else rank - below
        result = op("add")(low, op("mul")(op("sub")(high, low), weight))
    largest = _at(values, n - 1, d, True)  # the sort puts nan last
    return op("where")(op("ne")(largest, largest), largest, result)


def _one_nanquantile(values: Any, p: float, d: int, interpolation: str) -> Any:
    # Each slice has its own count of numbers, so its own rank p * (count - 1): entries are
    # gathered, not sliced (a slice of nan only has rank 0, and its first entry is nan).
    # The ranks are in the values' dtype, as PyTorch computes them.
    count = op("cast")(op("sum")(op("eq")(values, values), axis=d, keepdims=True),
                       dtype=np.dtype(values.dtype))
    rank = op("maximum")(op("mul")(op("sub")(count, 1.0), p), 0.0)
    rounding = {"lower": "floor", "higher": "ceil", "nearest": "round"}.get(interpolation)
    if rounding is not None:
        rank = op(rounding)(rank)
    below = op("floor")(rank)
    low = op("take_along_axis")(values, op("cast")(below, dtype=np.dtype(np.int64)), axis=d)
    if rounding is not None:
        return low
    high = op("take_along_axis")(values, op("cast")(op("ceil")(rank), dtype=np.dtype(np.int64)),
                                 axis=d)
    weight = 0.5 if interpolation == "midpoint" else op("sub")(rank, below)
    return op("add")(low, op("mul")(op("sub")(high, low), weight))


def _nan_zeroed(x: Any) -> Any:
    # Only floats hold nan; a 0.0 would also promote an integer tensor to float.
    if np.dtype(x.dtype).kind not in "fc":
        return x
    return op("where")(op("ne")(x, x), 0.0, x)


@method("nansum")
def _nansum(self, dim=None, keepdim: bool = False, *, dtype=None):
    """The sum over ``dim`` with nan counted as zero."""
    x = self if dtype is None else op("cast")(self, dtype=dtype)
    total = op("sum")(_nan_zeroed(x), axis=dims_arg(dim), keepdims=keepdim)
    return total if dtype is None else cast_to(total, dtype)  # as sum(dtype=): no int64


@method("nanmean")
def _nanmean(self, dim=None, keepdim: bool = False, *, dtype=None):
    """The mean over ``dim`` of the entries that are not nan."""
    x = self if dtype is None else op("cast")(self, dtype=dtype)
    if np.dtype(x.dtype).kind not in "fc":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype "
                           f"but got {scalar_type_name(x.dtype)}")
    present = op("cast")(op("eq")(x, x), dtype=np.dtype(x.dtype))
    total = op("sum")(_nan_zeroed(x), axis=dims_arg(dim), keepdims=keepdim)
    return op("div")(total, op("sum")(present, axis=dims_arg(dim), keepdims=keepdim))


@method("count_nonzero")
def _count_nonzero(self, dim=None):
    """How many entries are not zero (over ``dim``, or all), as int64."""
    return op("sum")(op("cast")(op("ne")(self, 0), dtype=np.dtype(np.int64)), axis=dims_arg(dim))


@method("aminmax")
def _aminmax(self, *, dim: int | None = None, keepdim: bool = False):
    """``(min, max)`` over ``dim`` (of all entries when None)."""
    return AminmaxResult(op("min")(self, axis=dim, keepdims=keepdim),
                         op("max")(self, axis=dim, keepdims=keepdim))


@method("histc")
def _histc(self, bins: int = 100, min: float = 0, max: float = 0):  # noqa: A002
    """A histogram of ``bins`` equal bins over [min, max] (the data's range when equal)."""
    return op("histc")(self, bins=bins, min=min, max=max)


@method("bincount")
def _bincount(self, weights=None, minlength: int = 0):
    """Counts of each value 0..max (weights summed instead when given)."""
    if weights is None:
        return op("bincount")(self, minlength=minlength)
    return op("bincount")(self, weights, minlength=minlength)


@method("diff")
def _diff(self, n: int = 1, dim: int = -1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (``prepend``/``append`` joined first)."""
    if len(shape_of(self)) == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _dim_of(self, dim)
    parts = [p for p in (prepend, self, append) if p is not None]
    if any(len(shape_of(p)) != len(shape_of(self)) for p in parts):
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    x = op("concat")(parts, axis=d) if len(parts) > 1 else self
    # bool: torch's difference is "changed" (logical xor), not a subtraction
    step = op("ne") if np.dtype(self.dtype).kind == "b" else op("sub")
    for _ in range(n):
        size = shape_of(x)[d]
        head = (slice(None),) * d
        x = step(op("getitem")(x, head + (slice(1, size),)),
                 op("getitem")(x, head + (slice(0, size - 1),)))
    return x


@method("logit")
def _logit(self, eps: float | None = None):
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
    p = self if eps is None else op("clip")(self, eps, 1 - eps)
    return op("logit")(p)  # a primitive: torch's gradient, inf at 0 and 1


@method("nan_to_num")
def _nan_to_num(self, nan: float = 0.0, posinf: float | None = None,
                neginf: float | None = None):
    """nan, inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (the dtype's largest
    and lowest finite values by default)."""
    dtype = np.dtype(self.dtype)
    if dtype.kind != "f":
        return op("add")(self, 0)
    info = np.finfo(dtype)
    big = float(info.max) if posinf is None else posinf
    small = float(info.min) if neginf is None else neginf
    x = op("where")(op("ne")(self, self), nan, self)
    x = op("where")(op("eq")(x, np.inf), big, x)
    return op("where")(op("eq")(x, -np.inf), small, x)


def _shared_op_method(name: str) -> None:
    def fn(self, *others):
        return op(name)(self, *others)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``torch.{name}``: the shared op ``{name}``."
    method(name)(fn)


for _name in ("atan2", "hypot", "fmod", "logaddexp", "xlogy", "lgamma", "digamma", "igamma",
              "igammac"):
    _shared_op_method(_name)


@method("arctan2")
def _arctan2(self, other):
    """``torch.arctan2``: NumPy's name for ``atan2``."""
    return op("atan2")(self, other)

__all__ = ["METHODS"]
