"""Data loading with PyTorch's API (``torch.utils.data``): datasets, samplers, collation and
the `DataLoader`, with worker processes.

    >>> ds = TensorDataset(eager.randn(100, 3), eager.randint(0, 2, (100,)))
    >>> loader = DataLoader(ds, batch_size=32, shuffle=True, generator=eager.Generator(0))
    >>> [tuple(x.shape) for x, y in loader]
    [(32, 3), (32, 3), (32, 3), (4, 3)]

Submodules mirror PyTorch's: ``dataset``, ``sampler``, ``distributed``, ``dataloader`` and
``_utils.collate``.
Random choices (shuffling, ``random_split``, the random samplers, worker seeds) follow
PyTorch's algorithms over eager's generators; see ``_random`` for when the numbers match.
"""

from . import dataset, sampler
from ._utils.collate import default_collate, default_convert
from ._utils.fetch import _DatasetKind
from ._utils.worker import get_worker_info
from .dataloader import DataLoader
from .dataset import *  # noqa: F403 (Dataset, TensorDataset, random_split, ...: dataset.__all__)
from .distributed import DistributedSampler
from .sampler import *  # noqa: F403 (Sampler, RandomSampler, ...: sampler.__all__)

__all__ = [*dataset.__all__, *sampler.__all__, "DataLoader", "DistributedSampler", "_DatasetKind",
           "default_collate", "default_convert", "get_worker_info"]
