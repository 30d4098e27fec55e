"""Datasets and the `DataLoader`: batches of samples, optionally shuffled with a seeded RNG.

    >>> ds = TensorDataset(eager.randn(100, 3), eager.randint(0, 2, (100,)))
    >>> loader = DataLoader(ds, batch_size=32, shuffle=True, generator=eager.Generator(0))
    >>> [tuple(x.shape) for x, y in loader]
    [(32, 3), (32, 3), (32, 3), (4, 3)]

A `TensorDataset` is batched with one fancy-index per tensor (one copy per batch, no Python
loop over samples); any other dataset is indexed sample by sample and collated by stacking.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor, _wrap
from ._rng import numpy_generator_from, seed_from_global


class Dataset:
    """A map-style dataset: ``__getitem__(i)`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("Dataset subclasses must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError("Dataset subclasses must define __len__")


class TensorDataset(Dataset):
    """Samples are rows of the given tensors, which must all have the same first dimension."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        n = tensors[0].shape[0]
        if any(t.shape[0] != n for t in tensors):
            sizes = ", ".join(str(t.shape[0]) for t in tensors)
            raise ValueError(f"Size mismatch between tensors: first dimensions are {sizes}")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples: Tensors/arrays/numbers along a new first axis, tuples, lists
    and dicts field by field."""
    first = batch[0]
    if isinstance(first, Tensor):
        return _wrap(np.stack([b._data for b in batch]))
    if isinstance(first, np.ndarray | np.generic | bool | int | float):
        arr = np.asarray(batch)
        if arr.dtype == np.float64 and isinstance(first, float):
            arr = arr.astype(np.float32)  # Python floats are float32 tensors, as in PyTorch
        return _wrap(arr)
    if isinstance(first, dict):
        return {k: default_collate([b[k] for b in batch]) for k in first}
    if isinstance(first, tuple | list):
        columns = [default_collate(list(col)) for col in zip(*batch, strict=True)]
        return tuple(columns) if isinstance(first, tuple) else columns
    raise TypeError(f"default_collate: batch must contain Tensors, arrays, numbers, dicts or "
                    f"lists; found {type(first).__name__}")


class DataLoader:
    """Iterate over a dataset in batches.

    ``shuffle=True`` draws a new permutation each epoch from ``generator`` (an
    ``eager.Generator`` or a ``numpy.random.Generator``); without one, each epoch's
    permutation is seeded from eager's global generator, so ``eager.manual_seed`` makes
    runs repeatable.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool = False,
                 drop_last: bool = False, generator: Any = None,
                 collate_fn: Any = None, num_workers: int = 0,
                 pin_memory: bool = False) -> None:
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if num_workers != 0:
            # Batches are NumPy gathers in the calling thread; worker processes are not built.
            raise NotImplementedError(f"DataLoader: num_workers={num_workers} is not "
                                      "supported (only 0: loading in the main process)")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator
        self.collate_fn = collate_fn
        self.num_workers = num_workers
        self.pin_memory = pin_memory  # CPU only: nothing to pin

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        if self.generator is None:
            rng = np.random.default_rng(seed_from_global())
        else:
            rng = numpy_generator_from(self.generator)
        return rng.permutation(n)

    def __iter__(self) -> Iterator[Any]:
        order = self._order()
        if self.batch_size is None:  # no batching: samples one by one
            for i in order:
                yield self.dataset[int(i)]
            return
        fast = isinstance(self.dataset, TensorDataset) and self.collate_fn is None and \
            not any(t.requires_grad for t in self.dataset.tensors)
        bs = self.batch_size
        stop = len(order) - len(order) % bs if self.drop_last else len(order)
        for start in range(0, stop, bs):
            idx = order[start:start + bs]
            if fast:
                # One fancy index per tensor: a fresh array per batch, never a view into the
                # dataset (an in-place op on a batch must not change the data).
                yield tuple(_wrap(t._data[idx]) for t in self.dataset.tensors)
            else:
                collate = self.collate_fn or default_collate
                yield collate([self.dataset[int(i)] for i in idx])
