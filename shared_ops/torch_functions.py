"""Functions of the ``torch`` namespace that are not Tensor methods (``searchsorted``,
``bucketize``, ``cdist``, ``block_diag``, ``cartesian_prod``, ``tensordot``, ``std_mean``,
``var_mean``), with PyTorch's signatures, over the shared ops: they run eagerly on eager
Tensors and stage on graph values (eager exports them as ``eager.<name>``).

    >>> import numpy as np
    >>> bucketize(np.array([2.0, 6.0]), np.array([1.0, 3.0, 5.0]))
    array([1, 3])
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .op_table import OPS
from .tensor_api_core import METHODS


def _op(name: str) -> Any:
    return OPS[name]


def searchsorted(sorted_sequence: Any, values: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Any = None) -> Any:
    """Where each of ``values`` would be inserted in the innermost dim of ``sorted_sequence``
    to keep it sorted (``side="right"``, or ``right``: after equal entries)."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    if sorter is not None:
        sorted_sequence = _op("take_along_axis")(sorted_sequence, sorter, axis=-1)
    scalar = not hasattr(values, "shape")
    queries = np.asarray([values], dtype=np.dtype(sorted_sequence.dtype)) if scalar else values
    out = _op("searchsorted")(sorted_sequence, queries, right=right, out_int32=out_int32)
    return _op("reshape")(out, shape=()) if scalar else out


def bucketize(input: Any, boundaries: Any, *, out_int32: bool = False,  # noqa: A002
              right: bool = False) -> Any:
    """The bucket of each of ``input`` among the 1-d sorted ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (``right``: boundaries[i-1] <= x < boundaries[i])."""
    if len(boundaries.shape) != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{len(boundaries.shape)})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def cdist(x1: Any, x2: Any, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Any:
    """The ``p``-norm distance between each row of ``x1`` (..., P, M) and of ``x2`` (..., R, M):
    (..., P, R). Euclidean distances of more than 25 rows go through one matrix product, as
    PyTorch's do (``compute_mode``)."""
    if len(x1.shape) < 2 or len(x2.shape) < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: "
                           f"{len(x1.shape)}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    rows1, rows2 = x1.shape[-2], x2.shape[-2]
    use_mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist" or (
        compute_mode == "use_mm_for_euclid_dist_if_necessary" and (rows1 > 25 or rows2 > 25)))
    if use_mm:
        square1 = _op("sum")(_op("mul")(x1, x1), axis=-1, keepdims=True)
        square2 = _op("sum")(_op("mul")(x2, x2), axis=-1, keepdims=True)
        n = len(x2.shape)
        cross = _op("matmul")(x1, _op("transpose")(x2, axes=tuple(range(n - 2)) + (n - 1, n - 2)))
        squared = _op("add")(_op("sub")(square1, _op("mul")(cross, 2.0)),
                             METHODS["transpose"](square2, -1, -2))
        return _op("sqrt")(_op("clip")(squared, 0.0, None))
    diff = _op("sub")(_op("expand_dims")(x1, axis=-2), _op("expand_dims")(x2, axis=-3))
    return _op("vector_norm")(diff, ord=p, dim=-1)


def block_diag(*tensors: Any) -> Any:
    """A matrix with the given matrices (or scalars, or rows) along its diagonal, zeros
    elsewhere."""
    blocks = [t if len(t.shape) == 2 else _op("reshape")(t, shape=(1, -1) if len(t.shape) == 1
                                                         else (1, 1)) for t in tensors]
    if not blocks:
        return np.zeros((1, 0), np.float32)
    width = sum(int(b.shape[1]) for b in blocks)
    rows, before = [], 0
    for b in blocks:
        cols = int(b.shape[1])
        rows.append(_op("pad")(b, pad_width=((0, 0), (before, width - before - cols))))
        before += cols
    return _op("concat")(rows, axis=0)


def cartesian_prod(*tensors: Any) -> Any:
    """Every combination of one entry of each 1-d tensor, one row each (a single tensor is
    returned as it is)."""
    if len(tensors) == 1:
        return tensors[0]
    sizes = [int(t.shape[0]) for t in tensors]
    columns = []
    for k, t in enumerate(tensors):
        shape = [1] * len(tensors)
        shape[k] = sizes[k]
        grid = _op("broadcast_to")(_op("reshape")(t, shape=tuple(shape)), shape=tuple(sizes))
        columns.append(_op("reshape")(grid, shape=(-1,)))
    return _op("stack")(columns, axis=1)


def tensordot(a: Any, b: Any, dims: Any = 2) -> Any:
    """The sum of products over ``dims``: the last ``dims`` dims of ``a`` with the first of
    ``b`` (an int), or the listed dims of each (a pair of lists)."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        dims_a = list(range(len(a.shape) - dims, len(a.shape)))
        dims_b = list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a = [d % len(a.shape) for d in dims_a]
    dims_b = [d % len(b.shape) for d in dims_b]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    labels_a = [next(letters) for _ in range(len(a.shape))]
    labels_b = [next(letters) for _ in range(len(b.shape))]
    for da, db in zip(dims_a, dims_b, strict=True):
        labels_b[db] = labels_a[da]
    out = [c for i, c in enumerate(labels_a) if i not in dims_a] + \
        [c for i, c in enumerate(labels_b) if i not in dims_b]
    equation = f"{''.join(labels_a)},{''.join(labels_b)}->{''.join(out)}"
    return _op("einsum")(equation, a, b)


def std_mean(input: Any, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
             keepdim: bool = False, *, correction: float | None = None) -> tuple:
    """``(std, mean)`` over ``dim``."""
    return (METHODS["std"](input, dim, unbiased, keepdim, correction=correction),
            METHODS["mean"](input, dim, keepdim))


def var_mean(input: Any, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
             keepdim: bool = False, *, correction: float | None = None) -> tuple:
    """``(var, mean)`` over ``dim``."""
    return (METHODS["var"](input, dim, unbiased, keepdim, correction=correction),
            METHODS["mean"](input, dim, keepdim))


def combinations(input: Any, r: int = 2, with_replacement: bool = False) -> Any:  # noqa: A002
    """Every combination of ``r`` entries of the 1-d ``input``, one row each, in order."""
    if len(input.shape) != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    pick = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    rows = np.array(list(pick(range(int(input.shape[0])), r)), dtype=np.int64)
    if r == 0 or rows.size == 0:  # r = 0: shape (0,); no combination of r: (0, r), as PyTorch
        shape = (0,) if r == 0 else (0, r)
        return _op("reshape")(_op("getitem")(input, np.zeros(0, np.int64)), shape=shape)
    return _op("getitem")(input, rows)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False,
         invert: bool = False) -> Any:
    """Whether each of ``elements`` is among ``test_elements`` (bool, ``elements``' shape)."""
    test = test_elements if hasattr(test_elements, "shape") else np.asarray(test_elements)
    if not hasattr(elements, "shape"):
        elements = np.asarray(elements)
    flat = _op("reshape")(test, shape=(-1,))
    hits = _op("sum")(_op("eq")(_op("expand_dims")(elements, axis=-1), flat), axis=-1)
    return _op("eq" if invert else "gt")(hits, 0)


__all__ = ["searchsorted", "bucketize", "cdist", "block_diag", "cartesian_prod", "tensordot",
           "std_mean", "var_mean", "combinations", "isin"]
