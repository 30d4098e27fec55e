"""Fetchers (PyTorch's ``torch.utils.data._utils.fetch``): turn one index (or a batch of
indices) from the sampler into collated data, the same way in the main process and in workers.

One addition to PyTorch's fetchers: a batch from a plain `TensorDataset` (or a `Subset` of
one) under `default_collate` is one fancy-index per tensor instead of a Python loop over rows
and a stack. The result is the same list of fresh (not view) tensors ``default_collate`` would
build from the rows; the slow path still runs whenever the fast one could differ (custom
subclasses, tensors that require grad, indices that are not plain in-range integers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....tensor import Tensor
from ....tensor_base import wrap_array
from ..dataset import Subset, TensorDataset
from .collate import default_collate


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Any,
                       drop_last: bool) -> _BaseDatasetFetcher:
        if kind == _DatasetKind.Map:
            return _MapDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)
        return _IterableDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)


class _BaseDatasetFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any,
                 drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, possibly_batched_index: Any) -> Any:
        raise NotImplementedError


class _IterableDatasetFetcher(_BaseDatasetFetcher):
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any,
                 drop_last: bool) -> None:
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in possibly_batched_index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(possibly_batched_index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


class _MapDatasetFetcher(_BaseDatasetFetcher):
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any,
                 drop_last: bool) -> None:
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        self._rows = _tensor_rows_source(dataset) if auto_collation and \
            collate_fn is default_collate else None

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.auto_collation:
            if self._rows is not None:
                batch = _gather_rows(*self._rows, possibly_batched_index)
                if batch is not None:
                    return batch
            if hasattr(self.dataset, "__getitems__") and self.dataset.__getitems__:
                data = self.dataset.__getitems__(possibly_batched_index)
            else:
                data = [self.dataset[idx] for idx in possibly_batched_index]
        else:
            data = self.dataset[possibly_batched_index]
        return self.collate_fn(data)


def _tensor_rows_source(dataset: Any) -> tuple[tuple[Tensor, ...], np.ndarray | None] | None:
    """``(tensors, index_map)`` when ``dataset`` is a plain TensorDataset, or plain Subsets of
    one (``index_map`` maps the outer indices to rows); None when the fast path cannot apply."""
    index_map = None
    while type(dataset) is Subset:
        outer = np.asarray(dataset.indices)
        if outer.ndim != 1 or (outer.size and outer.dtype.kind not in "iu"):
            return None
        index_map = outer if index_map is None else outer[index_map]
        dataset = dataset.dataset
    if type(dataset) is not TensorDataset or not dataset.tensors or \
            any(not isinstance(t, Tensor) or t.requires_grad for t in dataset.tensors):
        return None
    if index_map is not None:
        index_map = index_map.astype(np.intp)
    return dataset.tensors, index_map


def _gather_rows(tensors: tuple[Tensor, ...], index_map: np.ndarray | None,
                 indices: Any) -> list[Tensor] | None:
    """The collated batch for ``indices`` (one fancy-index per tensor), or None to take the
    general path (which raises the proper error for a bad index)."""
    if not isinstance(indices, list) or not indices or \
            not all(type(i) is int for i in indices):
        return None
    idx = np.asarray(indices, dtype=np.intp)
    if index_map is not None:
        if idx.min() < -len(index_map) or idx.max() >= len(index_map):
            return None
        idx = index_map[idx]
    n = tensors[0].shape[0]
    if idx.min() < -n or idx.max() >= n:
        return None
    return [wrap_array(t._data[idx]) for t in tensors]
