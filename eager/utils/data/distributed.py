"""`DistributedSampler` (PyTorch's ``torch.utils.data.distributed``): the share of a dataset that
one of ``num_replicas`` processes reads, padded (or cut, with ``drop_last``) so that every
rank gets the same number of indices.

Eager has no process groups (``eager.distributed.is_available()`` is False), so the replica
count and rank must be given, as single-process training scripts and tests do; left out they
raise PyTorch's error for a missing distributed package. The shuffle is PyTorch's: a
permutation from a generator seeded with ``seed + epoch``, so the indices are PyTorch's.

    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized
from typing import Any

from ...random.generator import Generator
from . import _random
from .sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[int]):
    """Indices ``rank, rank + num_replicas, ...`` of the (shuffled, padded) dataset order.

    Call ``set_epoch(epoch)`` before each epoch for a different shuffle per epoch, as in
    PyTorch. Without ``drop_last`` the order is padded with its own first indices up to a
    multiple of ``num_replicas``; with it the tail that would need padding is dropped.
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            raise RuntimeError("Requires distributed package to be available")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas, self.rank = num_replicas, rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle, self.seed = shuffle, seed

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        if self.shuffle:
            generator = Generator()
            generator.manual_seed(self.seed + self.epoch)
            order = _random.randperm(n, generator)
        else:
            order = list(range(n))
        short = self.total_size - len(order)
        if short > 0:  # pad with the order's own head, repeated as often as needed
            order += (order * math.ceil(short / len(order)))[:short]
        order = order[:self.total_size]
        return iter(order[self.rank:self.total_size:self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """The epoch whose shuffle the next iteration uses (``seed + epoch`` seeds it)."""
        self.epoch = epoch
