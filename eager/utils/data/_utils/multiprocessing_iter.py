"""The multi-process DataLoader iterator (``num_workers > 0``), after PyTorch's.

The main process runs the sampler and hands tasks ``(task index, sampler index)`` round-robin
to the workers, ``prefetch_factor`` per worker ahead; results come back on one queue and are
put back in task order (unless ``in_order=False``), so a map-style loader yields the batches of
``num_workers=0`` in the same order. An iterable dataset's workers each stream their own copy;
a worker that runs dry is retired for the epoch.

Shutdown (end of epoch, garbage collection, interpreter exit) sets the done event, sends each
worker None, joins with a timeout and terminates stragglers; workers are daemonic and watch
their parent, so none outlives the main process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import queue
import sys
from typing import Any

from .. import _utils
from . import MP_STATUS_CHECK_INTERVAL
from .base_iter import _BaseDataLoaderIter
from .exception_wrapper import ExceptionWrapper
from .fetch import _DatasetKind
from .worker import _IterableDatasetStopIteration, _ResumeIteration, _worker_loop

# How often a main process waiting for a batch checks that its workers are alive. PyTorch
# checks every 5 s but also learns of a dead child at once from a SIGCHLD handler; we install
# no signal handler, so we poll more often instead.
_LIVENESS_CHECK_INTERVAL = 0.5


def default_context() -> Any:
    """``fork`` on Linux (workers start in milliseconds and need not pickle the dataset), else
    the platform's default start method (``spawn`` on macOS and Windows)."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader: Any) -> None:
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        if self._num_workers <= 0:
            raise AssertionError("num_workers must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        ctx = loader.multiprocessing_context or default_context()
        self._worker_init_fn = loader.worker_init_fn
        # Everything shutdown touches exists before the first worker starts, so a failed start
        # (an unpicklable dataset under spawn) still cleans up the workers already running.
        self._shutdown = False
        self._workers: list[Any] = []
        self._index_queues: list[Any] = []
        self._workers_status: list[bool] = []
        self._worker_result_queue = ctx.Queue()
        self._workers_done_event = ctx.Event()
        for i in range(self._num_workers):
            index_queue = ctx.Queue()
            index_queue.cancel_join_thread()  # never block exit on unsent indices
            w = ctx.Process(target=_worker_loop, args=(
                self._dataset_kind, self._dataset, index_queue, self._worker_result_queue,
                self._workers_done_event, self._auto_collation, self._collate_fn,
                self._drop_last, self._base_seed, self._worker_init_fn, i,
                self._num_workers, self._persistent_workers, self._shared_seed))
            w.daemon = True
            try:
                w.start()
            except (TypeError, AttributeError, pickle.PicklingError):
                self._shutdown_workers()
                raise
            self._index_queues.append(index_queue)
            self._workers.append(w)
            self._workers_status.append(True)
        self._data_queue = self._worker_result_queue
        self._reset(loader, first_iter=True)

    def _reset(self, loader: Any, first_iter: bool = False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0  # the next task to send
        self._rcvd_idx = 0  # the next task to return
        # task index -> (worker,) while outstanding, (worker, data) once it arrived early
        self._task_info: dict[int, tuple] = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:  # persistent workers: start a new epoch and wait for every ack
            for index_queue in self._index_queues:
                index_queue.put(_ResumeIteration(self._shared_seed))
            pending = self._num_workers
            while pending > 0:
                return_idx, _ = self._get_data()
                if isinstance(return_idx, _ResumeIteration):
                    pending -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_get_data(self, timeout: float = _LIVENESS_CHECK_INTERVAL) -> tuple[bool, Any]:
        try:
            payload = self._data_queue.get(timeout=timeout)
        except Exception as e:
            failed = [w for worker_id, w in enumerate(self._workers)
                      if self._workers_status[worker_id] and not w.is_alive()]
            for w in failed:
                self._mark_worker_as_unavailable(self._workers.index(w))
            if failed:
                pids = ", ".join(str(w.pid) for w in failed)
                raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited "
                                   "unexpectedly") from e
            if isinstance(e, queue.Empty):
                return False, None
            raise
        return True, pickle.loads(payload)

    def _get_data(self) -> Any:
        if self._timeout > 0:
            success, data = self._try_get_data(self._timeout)
            if success:
                return data
            raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
        while True:
            success, data = self._try_get_data()
            if success:
                return data

    def _next_data(self) -> Any:
        while True:
            # Skip tasks of workers that ran dry (iterable datasets) and hold no data.
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    worker_id = info[0]
                    if len(info) == 2 or self._workers_status[worker_id]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:  # arrived earlier, out of order
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)
            idx, data = self._get_data()
            self._tasks_outstanding -= 1
            if self._dataset_kind == _DatasetKind.Iterable and \
                    isinstance(data, _IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                if not self._in_order:
                    worker_id = self._task_info.pop(idx)[0]
                    return self._process_data(data, worker_id)
                self._task_info[idx] += (data,)  # keep it until its turn
            else:
                worker_id = self._task_info.pop(idx)[0]
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

    def _try_put_index(self) -> None:
        max_tasks = self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next active worker, if any
            worker_queue_idx = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_queue_idx] and (
                    self._in_order or self._workers_num_tasks[worker_queue_idx]
                    < max_tasks // sum(self._workers_status)):
                break
        else:
            return
        self._index_queues[worker_queue_idx].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_queue_idx,)
        self._workers_num_tasks[worker_queue_idx] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _process_data(self, data: Any, worker_idx: int) -> Any:
        self._workers_num_tasks[worker_idx] -= 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        return data

    def _mark_worker_as_unavailable(self, worker_id: int, shutdown: bool = False) -> None:
        # None tells the worker to exit its loop (it flushes nothing more).
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self) -> None:
        if _utils.python_exit_status is not False or getattr(self, "_shutdown", True):
            # At interpreter exit multiprocessing terminates daemonic workers itself.
            return
        self._shutdown = True
        try:
            self._workers_done_event.set()
            for worker_id in range(len(self._workers)):
                if self._persistent_workers or self._workers_status[worker_id]:
                    self._mark_worker_as_unavailable(worker_id, shutdown=True)
            for w in self._workers:
                w.join(timeout=MP_STATUS_CHECK_INTERVAL)
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
        finally:
            for w in self._workers:
                if w.is_alive():
                    w.terminate()
                    w.join(timeout=MP_STATUS_CHECK_INTERVAL)
            self._worker_result_queue.cancel_join_thread()
            self._worker_result_queue.close()

    def __del__(self) -> None:
        self._shutdown_workers()
