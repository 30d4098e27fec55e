"""Tensor methods that combine values into positions: ``scatter_reduce``, ``index_reduce``,
``index_copy`` and ``put`` (their in-place forms ``scatter_reduce_``... are the written-back
entries of `tensor_api_inplace`). Entries of `tensor_api_core.METHODS`, each calling one
composite of `shared_ops.ops.scatter_reductions` / `shared_ops.ops.index_writes`.

    >>> import numpy as np
    >>> METHODS["scatter_reduce"](np.zeros(3), 0, np.array([0, 0]), np.array([1.0, 2.0]),
    ...                           "sum").tolist()
    [3.0, 0.0, 0.0]
"""

from __future__ import annotations

import warnings

from .tensor_api_core import METHODS, method, op


@method("scatter_reduce")
def _scatter_reduce(self, dim: int, index, src, reduce: str, *, include_self: bool = True):
    """``src`` combined into ``self`` at ``index`` along ``dim`` by ``reduce`` ('sum',
    'prod', 'mean', 'amax', 'amin'), PyTorch's ``Tensor.scatter_reduce``."""
    return op("scatter_reduce")(self, dim, index, src, reduce, include_self=include_self)


@method("index_reduce")
def _index_reduce(self, dim: int, index, source, reduce: str, *, include_self: bool = True):
    """Slice ``i`` of ``source`` along ``dim`` combined into slice ``index[i]`` by
    ``reduce`` ('prod', 'mean', 'amax', 'amin'), PyTorch's ``Tensor.index_reduce`` (which
    warns that it is in beta, as PyTorch does)."""
    warnings.warn("index_reduce() is in beta and the API may change at any time.",
                  UserWarning, stacklevel=2)
    return op("index_reduce")(self, dim, index, source, reduce, include_self=include_self)


@method("index_copy")
def _index_copy(self, dim: int, index, source):
    """Slice ``index[i]`` along ``dim`` replaced by slice ``i`` of ``source``."""
    return op("index_copy")(self, dim, index, source)


@method("put")
def _put(self, index, source, accumulate: bool = False):
    """``source`` written (or added) at the flat positions ``index``, PyTorch's ``put``."""
    return op("put")(self, index, source, accumulate)


__all__ = ["METHODS"]
