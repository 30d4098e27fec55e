"""Tensor methods of issue 16's second batch, with PyTorch's signatures: products with an
added input (``baddbmm``, ``addbmm``, ``addmv``, ``addr``), ``kron``, ``rot90``, ``take``,
``index_fill``, ``fill_diagonal`` (behind ``fill_diagonal_``), running extremes
(``cummax``, ``cummin``, ``logcumsumexp``), ``nanmedian`` and ``cov``/``corrcoef``
(its float math is `tensor_api_more_math`). Entries of `tensor_api_core.METHODS`, written
with shared ops only.

    >>> import numpy as np
    >>> METHODS["kron"](np.eye(2), np.ones((1, 2))).tolist()
    [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import dtypes as dt
from .return_types import return_type
from .tensor_api_core import METHODS, method, op, scalar_type_name, shape_of, wrap_dim
from .tensor_api_stats import require_reduction_size

CummaxResult = return_type("cummax", ("values", "indices"))
CumminResult = return_type("cummin", ("values", "indices"))
NanmedianResult = return_type("nanmedian", ("values", "indices"))


def _dim_of(x: Any, dim: int) -> int:
    return wrap_dim(dim, len(shape_of(x)))


def _scaled_sum(self: Any, product: Any, beta: Any, alpha: Any) -> Any:
    """``beta * self + alpha * product``; ``beta == 0`` ignores ``self`` (nan included), as
    PyTorch's BLAS-style ops."""
    scaled = product if alpha == 1 else op("mul")(product, alpha)
    if beta == 0:
        return op("add")(op("zeros_like")(self), scaled)
    return op("add")(self if beta == 1 else op("mul")(self, beta), scaled)


def _require_dims(what: str, x: Any, ndim: int) -> None:
    """PyTorch's error for a batch operand of the wrong rank (its message names no op)."""
    if len(shape_of(x)) != ndim:
        raise RuntimeError(f"{what} must be a {ndim}D tensor")


# --- products with an added input --------------------------------------------------------------
@method("baddbmm")
def _baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
    """``beta * self + alpha * (batch1 @ batch2)`` for (b, n, m) and (b, m, p) batches."""
    _require_dims("batch1", batch1, 3)
    _require_dims("batch2", batch2, 3)
    return _scaled_sum(self, op("matmul")(batch1, batch2), beta, alpha)


@method("addbmm")
def _addbmm(self, batch1, batch2, *, beta=1, alpha=1):
    """``beta * self + alpha * sum_b(batch1[b] @ batch2[b])``."""
    _require_dims("batch1", batch1, 3)
    _require_dims("batch2", batch2, 3)
    return _scaled_sum(self, op("sum")(op("matmul")(batch1, batch2), axis=0), beta, alpha)


@method("addmv")
def _addmv(self, mat, vec, *, beta=1, alpha=1):
    """``beta * self + alpha * (mat @ vec)``."""
    if len(shape_of(mat)) != 2 or len(shape_of(vec)) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {len(shape_of(self))}, "
                           f"{len(shape_of(mat))}, {len(shape_of(vec))}")
    return _scaled_sum(self, op("matmul")(mat, vec), beta, alpha)


@method("addr")
def _addr(self, vec1, vec2, *, beta=1, alpha=1):
    """``beta * self + alpha * outer(vec1, vec2)``."""
    if len(shape_of(vec1)) != 1 or len(shape_of(vec2)) != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {len(shape_of(vec1))}-D"
                           if len(shape_of(vec1)) != 1 else
                           f"addr: Expected 1-D argument vec2, but got {len(shape_of(vec2))}-D")
    outer = op("mul")(op("reshape")(vec1, shape=(-1, 1)), op("reshape")(vec2, shape=(1, -1)))
    return _scaled_sum(self, outer, beta, alpha)


@method("kron")
def _kron(self, other):
    """The Kronecker product: every entry of ``self`` times the whole of ``other``."""
    a_shape, b_shape = shape_of(self), shape_of(other)
    n = max(len(a_shape), len(b_shape))
    a_shape = (1,) * (n - len(a_shape)) + tuple(a_shape)
    b_shape = (1,) * (n - len(b_shape)) + tuple(b_shape)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then each pair merged.
    a = op("reshape")(self, shape=tuple(v for d in a_shape for v in (d, 1)))
    b = op("reshape")(other, shape=tuple(v for d in b_shape for v in (1, d)))
    return op("reshape")(op("mul")(a, b), shape=tuple(x * y for x, y in zip(a_shape, b_shape,
                                                                             strict=True)))


# --- rearranging and filling -------------------------------------------------------------------
@method("rot90")
def _rot90(self, k: int = 1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first towards the
    second."""
    dims = list(dims)
    ndim = len(shape_of(self))
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {ndim}")
    d0, d1 = (_dim_of(self, d) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and "
                           f"dim1 = {d1}")
    k %= 4
    if k in (0, 2):  # flip with no dims copies, as PyTorch's rot90 by 0
        return op("flip")(self, dims=(d0, d1) if k else ())
        return op("flip")(self, dims=(d0, d1))
    flipped = op("flip")(self, dims=(d1 if k == 1 else d0,))
    return METHODS["transpose"](flipped, d0, d1)


@method("take")
def _take(self, index):
    """Entries of the flattened tensor at ``index`` (negative from the end), in its shape
    (an index out of range is an IndexError)."""
    flat = op("reshape")(self, shape=(-1,))
    positions = op("reshape")(index, shape=(-1,))
    positions = op("where")(op("lt")(positions, 0), op("add")(positions, shape_of(flat)[0]),
                            positions)
    picked = op("gather_elements")(flat, positions, dim=0)
    return op("reshape")(picked, shape=shape_of(index))


def _filled(self, mask: Any, value: Any) -> Any:
    """``self`` with ``value`` (a number, or a 0-d tensor that keeps its gradient) where
    ``mask`` holds, in self's dtype."""
    dtype = np.dtype(self.dtype)
    if hasattr(value, "shape"):
        if len(shape_of(value)) != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {len(shape_of(value))} dimension(s).")
        value = op("cast")(value, dtype=dtype)
    else:
        value = np.asarray(value).astype(dtype)
    return op("where")(mask, value, self)


@method("index_fill")
def _index_fill(self, dim: int, index, value):
    """``self`` with the entries at ``index`` (int64, 1-d or 0-d) along ``dim`` set to
    ``value``."""
    if np.dtype(index.dtype) != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    d = _dim_of(self, dim)
    shape = shape_of(self)
    size = shape[d] if shape else 1
    flat_index = op("reshape")(index, shape=(-1,))
    wrapped = op("where")(op("lt")(flat_index, 0), op("add")(flat_index, size), flat_index)
    # one_hot raises an IndexError for an index outside [-size, size), as PyTorch.
    codes = op("one_hot")(wrapped, num_classes=size, dtype=np.dtype(np.int64))
    hit = op("gt")(op("sum")(codes, axis=0), 0)
    mask_shape = [1] * len(shape)
    if shape:
        mask_shape[d] = size
    return _filled(self, op("reshape")(hit, shape=tuple(mask_shape)), value)


@method("fill_diagonal")
def _fill_diagonal(self, fill_value, wrap: bool = False):
    """``self`` with its main diagonal set to ``fill_value`` (the out-of-place form of
    ``fill_diagonal_``; ``wrap``: a tall matrix's diagonal restarts below every square)."""
    shape = tuple(shape_of(self))
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    mask = np.zeros(shape, bool)
    if len(shape) == 2:
        rows, cols = shape
        step = cols + 1
        count = -(-rows * cols // step) if wrap and rows > cols + 1 else min(rows, cols)
        mask.reshape(-1)[np.arange(count) * step] = True
    else:
        mask[(np.arange(shape[0]),) * len(shape)] = True
    return _filled(self, mask, fill_value)


# --- running extremes and medians --------------------------------------------------------------
def _cumextreme(self, dim: int, largest: bool, result: type) -> Any:
    d = _dim_of(self, dim)
    indices = op("cumextreme_index")(self, dim=d, largest=largest)
    if len(shape_of(self)) == 0:
        return result(op("flip")(self, dims=()), indices)
    return result(op("take_along_axis")(self, indices, axis=d), indices)


@method("cummax")
def _cummax(self, dim: int):
    """``(values, indices)`` of the running maximum along ``dim``."""
    return _cumextreme(self, dim, True, CummaxResult)


@method("cummin")
def _cummin(self, dim: int):
    """``(values, indices)`` of the running minimum along ``dim``."""
    return _cumextreme(self, dim, False, CumminResult)


@method("logcumsumexp")
def _logcumsumexp(self, dim: int):
    """log(cumsum(exp(self))) along ``dim``, without overflow."""
    if np.dtype(self.dtype).kind != "f":
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for "
                                  f"'{scalar_type_name(self.dtype)}'")
    return op("logcumsumexp")(self, dim=_dim_of(self, dim))


@method("nanmedian")
def _nanmedian(self, dim: int | None = None, keepdim: bool = False):
    """The lower median of the entries that are not nan (of all, or ``(values, indices)``
    along ``dim``); a slice of nan only gives nan."""
    x = op("reshape")(self, shape=(-1,)) if dim is None else self
    d = 0 if dim is None else _dim_of(self, dim)
    if len(shape_of(x)) == 0:
        return NanmedianResult(x, op("zeros_like")(x, dtype=np.dtype(np.int64)))
    if dim is None and shape_of(x)[0] == 0:  # nothing to take the median of: nan
        return op("add")(op("sum")(x), np.nan)
    require_reduction_size("median", x, d)  # PyTorch's nanmedian reports itself as median
    values, indices = op("sort")(x, d, False, True)  # stable: nan last, in their order
    present = op("sum")(op("cast")(op("eq")(x, x), dtype=np.dtype(np.int64)), axis=d,
                        keepdims=True)
    # (count - 1) // 2, and the first nan where nothing is present.
    position = op("floor_divide")(op("clip")(op("sub")(present, 1), 0, None), 2)
    value = op("take_along_axis")(values, position, axis=d)
    index = op("take_along_axis")(indices, position, axis=d)
    if dim is None:
        return op("reshape")(value, shape=())
    if not keepdim:
        value, index = op("squeeze")(value, axis=d), op("squeeze")(index, axis=d)
    return NanmedianResult(value, index)


# --- covariance --------------------------------------------------------------------------------
@method("cov")
def _cov(self, *, correction: int = 1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of ``self`` (observations in its
    columns), with frequency and/or analytic weights (a 1-d tensor: a 0-d result)."""
    ndim = len(shape_of(self))
    if ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {ndim} dimensions")
    if np.dtype(self.dtype).kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = op("reshape")(self, shape=(1, -1)) if ndim < 2 else self
    if np.dtype(x.dtype).kind == "c":  # (torch's conjugates; the cast would drop the parts)
        raise NotImplementedError("cov(): complex inputs are not supported here")
    if np.dtype(x.dtype).kind != "f":
        x = op("cast")(x, dtype=dt.DEFAULT_FLOAT)
    observations = shape_of(x)[1]
    _check_cov_weights("fweights", fweights, "iu", "integral", observations)
    _check_cov_weights("aweights", aweights, "f", "floating point", observations)
    weights = None
    if fweights is not None:
        weights = fweights
    if aweights is not None:
        weights = aweights if weights is None else op("mul")(weights, aweights)
    if weights is None:
        mean = op("mean")(x, axis=1, keepdims=True)
        norm = observations - correction
    else:
        weights = op("cast")(weights, dtype=np.dtype(x.dtype))
        total = op("sum")(weights)
        mean = op("div")(op("sum")(op("mul")(x, weights), axis=1, keepdims=True), total)
        if correction == 0:
            norm = total
        elif aweights is None:
            norm = op("sub")(total, correction)
        else:
            scale = op("div")(op("sum")(op("mul")(weights, aweights)), total)
            norm = op("sub")(total, op("mul")(scale, correction))
    if isinstance(norm, int) and norm <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=3)
        norm = 0
    centered = op("sub")(x, mean)
    weighted = centered if weights is None else op("mul")(centered, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = op("div")(op("matmul")(weighted, METHODS["transpose"](centered, 0, 1)), norm)
    return op("reshape")(c, shape=()) if shape_of(c)[0] == 1 else c


def _check_cov_weights(name: str, weights: Any, kinds: str, kind_name: str,
                       observations: Any) -> None:
    """PyTorch's checks of cov's weights: at most 1-d, one per observation, of the right kind
    (a float fweight would otherwise be used as given, where torch refuses it)."""
    if weights is None:
        return
    shape = shape_of(weights)
    if len(shape) > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {len(shape)} dimensions")
    if np.dtype(weights.dtype).kind not in kinds:
        raise RuntimeError(f"cov(): expected {name} to have {kind_name} dtype but got {name} "
                           f"with {scalar_type_name(weights.dtype)} dtype")
    count = shape[0] if shape else 1
    if None not in (count, observations) and count != observations:  # None: a dynamic size
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {count} != {observations}")


@method("corrcoef")
def _corrcoef(self):
    """Pearson's correlation coefficients of the variables in the rows, clipped to [-1, 1]."""
    c = _cov(self)
    if len(shape_of(c)) == 0:
        return op("div")(c, c)
    std = op("sqrt")(METHODS["diagonal"](c))
    c = op("div")(op("div")(c, op("reshape")(std, shape=(-1, 1))),
                  op("reshape")(std, shape=(1, -1)))
    return op("clip")(c, -1.0, 1.0)


__all__ = ["METHODS"]
