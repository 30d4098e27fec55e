"""Samplers (PyTorch's ``torch.utils.data.sampler``): which indices a DataLoader fetches, in
what order, and how they group into batches.

The random samplers run PyTorch's algorithms (``randperm``, ``randint``, ``multinomial``) over
their generator's stream (`_random`, `eager.random`), drawing the same words in the same
order: after the same seed their indices are PyTorch's.

    >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    >>> sorted(RandomSampler(range(5), generator=eager.Generator(0)))
    [0, 1, 2, 3, 4]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeVar

import numpy as np

from ... import creation
from . import _random

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler",
           "SubsetRandomSampler", "WeightedRandomSampler"]

T_co = TypeVar("T_co", covariant=True)


def _check_positive_int(name: str, value: Any, allow_bool: bool = False) -> None:
    """PyTorch's ``ValueError`` for a size that is not a positive int (``True`` counts as 1
    only where PyTorch lets it: ``RandomSampler``'s ``num_samples``)."""
    if not isinstance(value, int) or (isinstance(value, bool) and not allow_bool) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")


def _check_bool(name: str, value: Any, error: type[Exception] = ValueError) -> None:
    """PyTorch's error for a flag that is not a bool (a ``TypeError`` where PyTorch raises
    one: ``RandomSampler``'s ``replacement``)."""
    if not isinstance(value, bool):
        raise error(f"{name} should be a boolean value, but got {name}={value}")


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` (indices, or lists of indices for a batch
    sampler) and may define ``__len__``.

    There is no default ``__len__``: ``len()`` of a sampler without one is a ``TypeError``,
    which lets ``list(sampler)`` fall back to plain iteration (as in PyTorch).
    """

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """``0, 1, ..., len(data_source) - 1``, every epoch."""

    data_source: Sized

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A fresh permutation each epoch, or ``num_samples`` draws with ``replacement=True``.

    Without a ``generator``, each epoch seeds a new generator from eager's global one (one
    64-bit draw, as PyTorch does), so ``eager.manual_seed`` makes the epochs repeatable.
    """

    data_source: Sized
    replacement: bool

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        _check_bool("replacement", self.replacement, TypeError)
        _check_positive_int("num_samples", self.num_samples, allow_bool=True)

    @property
    def num_samples(self) -> int:
        # The dataset may change size between epochs: read its length each time.
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def __iter__(self) -> Iterator[int]:
        # A generator function: nothing is drawn until the first index is asked for, which
        # keeps the draws in PyTorch's order relative to the DataLoader's base seed.
        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            # PyTorch: int(torch.empty((), dtype=torch.int64).random_().item()) seeds it.
            generator = creation.Generator().manual_seed(_random.random_int64(None))
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from _random.randint(n, 32, generator)
            yield from _random.randint(n, self.num_samples % 32, generator)
        else:
            for _ in range(self.num_samples // n):
                yield from _random.randperm(n, generator)
            if self.num_samples % n:
                yield from _random.randperm(n, generator)[:self.num_samples % n]
            else:  # PyTorch still draws this permutation (and keeps none of it)
                _random.skip_randperm(n, generator)

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a fresh random order each epoch."""

    indices: Sequence[int]

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in _random.randperm(len(self.indices), self.generator):
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probabilities proportional to ``weights``.

    ``weights`` is kept as a float64 tensor (``self.weights``), as in PyTorch; bad weights
    (negative, inf, NaN, all zero) raise PyTorch's ``RuntimeError`` when iterated.
    """

    num_samples: int
    replacement: bool

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Any = None) -> None:
        _check_positive_int("num_samples", num_samples)
        _check_bool("replacement", replacement)
        self.weights = creation.as_tensor(weights, dtype=np.float64)
        if len(self.weights.shape) != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(self.weights.shape)}")
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        weights = np.asarray(self.weights._data, dtype=np.float64)
        yield from _random.multinomial(weights, self.num_samples, self.replacement,
                                       self.generator)

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group another sampler's indices into lists of ``batch_size`` (the last one shorter
    unless ``drop_last``)."""

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        _check_positive_int("batch_size", batch_size)
        _check_bool("drop_last", drop_last)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        sampler_iter = iter(self.sampler)
        if self.drop_last:
            # zip over batch_size references to one iterator stops at the first short batch.
            yield from (list(batch) for batch in zip(*[sampler_iter] * self.batch_size,
                                                     strict=False))
            return
        batch = list(itertools.islice(sampler_iter, self.batch_size))
        while batch:
            yield batch
            batch = list(itertools.islice(sampler_iter, self.batch_size))

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size  # type: ignore[arg-type]
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size  # type: ignore
