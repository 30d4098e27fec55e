"""What runs inside a DataLoader worker process (PyTorch's ``_utils/worker.py``): seeding,
`get_worker_info`, and the loop that turns index lists from the main process into batches.

Results travel pickled by the worker itself (`_pack`): a batch that cannot be pickled becomes
a re-raised exception in the main process instead of an error printed by a queue thread and a
batch the main process waits for forever.
"""

from __future__ import annotations

import os
import pickle
import queue
import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from .... import creation
from . import MP_STATUS_CHECK_INTERVAL
from .exception_wrapper import ExceptionWrapper
from .fetch import _DatasetKind


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What `get_worker_info` returns inside a worker: ``id`` (0 to ``num_workers - 1``),
    ``num_workers``, ``seed`` (this worker's seed: base seed + id) and ``dataset`` (this
    process's copy)."""

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The current worker's `WorkerInfo` inside a DataLoader worker process; None in the main
    process. Use it in ``IterableDataset.__iter__`` or ``worker_init_fn`` to shard work."""
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Start a new epoch (persistent workers)."""

    seed: int | None = None


class ManagerWatchdog:
    """Notices that the main process died (the worker was re-parented), so the worker exits."""

    def __init__(self) -> None:
        self.manager_pid = os.getppid()
        self.manager_dead = False

    def is_alive(self) -> bool:
        if not self.manager_dead:
            self.manager_dead = os.getppid() != self.manager_pid
        return not self.manager_dead


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """The NumPy seed of a worker: four 32-bit words from NumPy's SeedSequence hashing of
    ``[worker_id, base_seed low, base_seed high, 0]`` (the scheme PyTorch uses, so workers'
    ``np.random`` streams differ from one another and from epoch to epoch)."""
    mask = 0xFFFFFFFF
    entropy = [worker_id, base_seed & mask, base_seed >> 32, 0]
    hash_const = 0x43B0D7E5

    def hashmix(value: int) -> int:
        nonlocal hash_const
        value = (value ^ hash_const) & mask
        hash_const = (hash_const * 0x931E8875) & mask
        value = (value * hash_const) & mask
        return (value ^ (value >> 16)) & mask

    def mix(x: int, y: int) -> int:
        result = ((0xCA01F9DD * x) - (0x4973F715 * y)) & mask
        return (result ^ (result >> 16)) & mask

    pool = [hashmix(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hashmix(pool[i_src]))
    out_const = 0x8B51F9DD
    state = []
    for value in pool:
        value = (value ^ out_const) & mask
        out_const = (out_const * 0x58F38DED) & mask
        value = (value * out_const) & mask
        state.append((value ^ (value >> 16)) & mask)
    return state


def _pack(idx: Any, data: Any, worker_id: int) -> bytes:
    """``(idx, data)`` pickled here, where a failure can still be reported as an error."""
    try:
        return pickle.dumps((idx, data), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 (any pickling failure is reported to the main process)
        wrapped = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
        return pickle.dumps((idx, wrapped), protocol=pickle.HIGHEST_PROTOCOL)


def _worker_loop(dataset_kind: int, dataset: Any, index_queue: Any, data_queue: Any,
                 done_event: Any, auto_collation: bool, collate_fn: Any, drop_last: bool,
                 base_seed: int, init_fn: Any, worker_id: int, num_workers: int,
                 persistent_workers: bool, shared_seed: int | None) -> None:
    """Serve ``(task index, sampler index)`` requests until told to stop (None) or orphaned."""
    try:
        seed = base_seed + worker_id
        random.seed(seed)
        creation.manual_seed(seed)
        np.random.seed(_generate_state(base_seed, worker_id))
        global _worker_info
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_exception = None
        fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = _DatasetKind.create_fetcher(dataset_kind, dataset, auto_collation,
                                                  collate_fn, drop_last)
        except Exception:  # noqa: BLE001 (reported with the first task)
            init_exception = ExceptionWrapper(where=where)
        iteration_end = False
        watchdog = ManagerWatchdog()
        while watchdog.is_alive():
            try:
                r = index_queue.get(timeout=MP_STATUS_CHECK_INTERVAL)
            except queue.Empty:
                continue
            if isinstance(r, _ResumeIteration):
                data_queue.put(_pack(r, None, worker_id))
                iteration_end = False
                if init_exception is None:
                    fetcher = _DatasetKind.create_fetcher(dataset_kind, dataset, auto_collation,
                                                          collate_fn, drop_last)
                continue
            if r is None:  # shutdown
                break
            if done_event.is_set() or iteration_end:
                continue  # draining: the main process no longer wants data
            idx, index = r
            if init_exception is not None:
                data: Any = init_exception
            else:
                try:
                    data = fetcher.fetch(index)  # type: ignore[union-attr]
                except Exception as e:  # noqa: BLE001 (every failure goes to the main process)
                    if isinstance(e, StopIteration) and dataset_kind == _DatasetKind.Iterable:
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True  # no more tasks for this worker this epoch
                    else:
                        data = ExceptionWrapper(where=where)
            data_queue.put(_pack(idx, data, worker_id))
            del data, idx, index, r  # free the batch before blocking on the next request
    except KeyboardInterrupt:
        pass  # Ctrl-C reaches the whole process group: the main process reports it
    if done_event.is_set():
        # Results still in the pipe are unwanted: do not block exit flushing them.
        data_queue.cancel_join_thread()
        data_queue.close()
