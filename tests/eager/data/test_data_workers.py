"""DataLoader worker processes: the same batches as ``num_workers=0`` (and as PyTorch), worker
info and seeds, iterable-dataset sharding, errors re-raised with the worker's traceback, dead
and slow workers, persistent workers, spawn, and no process left behind.

Workers cost a process start each: two workers at most, small datasets."""

import os
import time

import numpy as np
import pytest
from data_pairs import torch, tud

import eager
from eager.utils.data import (
    DataLoader,
    Dataset,
    IterableDataset,
    TensorDataset,
    get_worker_info,
)
from eager.utils.data._utils.worker import _generate_state

pytestmark = pytest.mark.usefixtures("no_leftover_workers")


def tensors():
    x = np.arange(30, dtype=np.float32).reshape(15, 2)
    return TensorDataset(eager.tensor(x), eager.arange(15)), \
        tud.TensorDataset(torch.tensor(x), torch.arange(15))


class WhoLoads(Dataset):
    """Each sample says which worker loaded it and with what seed."""

    def __len__(self):
        return 9

    def __getitem__(self, i):
        info = get_worker_info()
        return {"i": i, "worker": -1 if info is None else info.id,
                "seed": -1 if info is None else info.seed,
                "of": -1 if info is None else info.num_workers}


@pytest.mark.parametrize("options", [{"batch_size": 4}, {"batch_size": 4, "shuffle": True},
                                     {"batch_size": None}])
def test_workers_give_the_batches_of_the_main_process(options, as_plain):
    ours, _ = tensors()
    no_workers = DataLoader(ours, generator=eager.Generator(2), **options)
    workers = DataLoader(ours, num_workers=2, generator=eager.Generator(2), **options)
    for _ in range(2):
        assert as_plain(list(workers)) == as_plain(list(no_workers))


def test_workers_shuffle_equals_torchs_on_torchs_stream(torch_stream, as_plain):
    ours, theirs = tensors()
    mine = DataLoader(ours, batch_size=4, shuffle=True, num_workers=2,
                      generator=torch_stream(9))
    expected = tud.DataLoader(theirs, batch_size=4, shuffle=True,
                              generator=torch.Generator().manual_seed(9))
    for _ in range(2):
        assert as_plain(list(mine)) == as_plain(list(expected))


def test_worker_info_and_seeds(torch_stream):
    assert get_worker_info() is None
    batches = list(DataLoader(WhoLoads(), batch_size=2, num_workers=2,
                              generator=torch_stream(4)))
    assert [b["worker"].tolist() for b in batches] == [[0, 0], [1, 1], [0, 0], [1, 1], [0]]
    assert {int(b["of"][0]) for b in batches} == {2}
    # The base seed is PyTorch's (drawn from the same stream); worker i uses base + i.
    base = torch.empty((), dtype=torch.int64).random_(
        generator=torch.Generator().manual_seed(4)).item()
    assert [int(b["seed"][0]) for b in batches[:2]] == [base, base + 1]


def test_numpy_seed_state_is_torchs():
    from torch.utils.data._utils.worker import _generate_state as torch_state

    for base, worker in [(0, 0), (12345678901234, 1), (2**63 - 1, 3)]:
        assert _generate_state(base, worker) == torch_state(base, worker)


class Shard(IterableDataset):
    """Worker i streams i, i + n, i + 2n, ... below 11."""

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(11))
        return iter(range(info.id, 11, info.num_workers))


class TorchShard(tud.IterableDataset):
    def __iter__(self):
        info = tud.get_worker_info()
        if info is None:
            return iter(range(11))
        return iter(range(info.id, 11, info.num_workers))


@pytest.mark.parametrize("options", [{"batch_size": 2}, {"batch_size": 2, "drop_last": True}])
def test_iterable_dataset_sharded_by_worker_info_matches_torch(options, as_plain):
    mine = list(DataLoader(Shard(), num_workers=2, **options))
    expected = list(tud.DataLoader(TorchShard(), num_workers=2, **options))
    assert as_plain(mine) == as_plain(expected)


class FailsAt(Dataset):
    def __init__(self, bad):
        self.bad = bad

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == self.bad:
            raise ValueError(f"sample {i} is broken")
        return i


class TorchFailsAt(tud.Dataset):
    __init__, __len__, __getitem__ = FailsAt.__init__, FailsAt.__len__, FailsAt.__getitem__


def test_worker_exception_is_reraised_with_the_worker_traceback():
    def failure(loader):
        it = iter(loader)
        got = [next(it).tolist()]
        with pytest.raises(ValueError) as info:
            next(it)
        # The iterator goes on after an error, as in PyTorch; draining it shuts it down
        # (an abandoned PyTorch iterator takes seconds to stop its workers).
        got += [b.tolist() for b in it]
        return got, str(info.value)

    got, message = failure(DataLoader(FailsAt(2), batch_size=2, num_workers=2))
    torch_got, torch_message = failure(tud.DataLoader(TorchFailsAt(2), batch_size=2,
                                                      num_workers=2))
    assert got == torch_got == [[0, 1], [4, 5], [6, 7]]
    head = "Caught ValueError in DataLoader worker process 1.\nOriginal Traceback (most recent "
    assert message.startswith(head) and torch_message.startswith(head)
    assert 'raise ValueError(f"sample {i} is broken")' in message
    assert message.endswith("ValueError: sample 2 is broken\n")
    assert torch_message.endswith("ValueError: sample 2 is broken\n")


def test_errors_in_worker_init_fn_and_in_pickling_reach_the_main_process():
    def bad_init(worker_id):
        raise KeyError("no config")

    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process"):
        list(DataLoader(range(4), num_workers=1, worker_init_fn=bad_init))

    class Local(Exception):  # cannot be pickled by reference: arrives as RuntimeError
        pass

    def raise_local(batch):
        raise Local("local failure")

    with pytest.raises(RuntimeError, match="(?s)Caught Local .*local failure"):
        list(DataLoader(range(4), num_workers=1, collate_fn=raise_local))
    unpicklable = lambda: None  # noqa: E731
    with pytest.raises(Exception, match="Caught .*in DataLoader worker process 0"):
        list(DataLoader([unpicklable], num_workers=1, collate_fn=lambda b: b))


def test_worker_init_fn_runs_in_each_worker_after_seeding():
    def init(worker_id):
        info = get_worker_info()
        info.dataset.offset = 100 * (worker_id + 1)
        np.random.seed(info.seed % 2**32)

    class Offset(Dataset):
        offset = 0

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return self.offset + i

    assert sum((b.tolist() for b in DataLoader(Offset(), batch_size=1, num_workers=2,
                                                worker_init_fn=init)), []) == [100, 201, 102, 203]


class Dies(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            os._exit(1)
        return i


def test_a_dead_worker_is_reported_not_waited_for():
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited "
                                           "unexpectedly"):
        list(DataLoader(Dies(), batch_size=1, num_workers=1))
    assert time.monotonic() - start < 5


class Slow(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(0.5)
        return i


def test_timeout_raises_torchs_error():
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.05 seconds$"):
        list(DataLoader(Slow(), num_workers=1, timeout=0.05))


def test_persistent_workers_keep_their_dataset_and_match_torch(torch_stream, as_plain):
    ours, theirs = tensors()
    mine = DataLoader(ours, batch_size=4, shuffle=True, num_workers=2, persistent_workers=True,
                      generator=torch_stream(3))
    expected = tud.DataLoader(theirs, batch_size=4, shuffle=True,
                              generator=torch.Generator().manual_seed(3))
    first = iter(mine)
    assert as_plain(list(first)) == as_plain(list(expected))
    pids = [w.pid for w in first._workers]
    # PyTorch draws no new base seed for a reused iterator: only the permutation moves on.
    expected_second = [b for b in tud.RandomSampler(range(15), generator=expected.generator)]
    second = list(mine)
    assert sum((b[1].tolist() for b in second), []) == expected_second
    assert iter(mine) is first and [w.pid for w in first._workers] == pids
    del mine, first


def test_in_order_false_still_delivers_every_batch():
    batches = list(DataLoader(range(10), batch_size=2, num_workers=2, in_order=False))
    assert sorted(sum((b.tolist() for b in batches), [])) == list(range(10))


def test_spawned_workers_give_the_same_batches(as_plain):
    ours, _ = tensors()
    spawned = DataLoader(ours, batch_size=6, num_workers=1, multiprocessing_context="spawn")
    assert as_plain(list(spawned)) == as_plain(list(DataLoader(ours, batch_size=6)))


def test_too_many_workers_warn_like_torch():
    many = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count()) + 1
    with pytest.warns(UserWarning) as ours:
        DataLoader(range(3), num_workers=many)
    with pytest.warns(UserWarning) as theirs:
        tud.DataLoader(range(3), num_workers=many)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


def test_an_abandoned_iterator_shuts_its_workers_down():
    it = iter(DataLoader(range(20), batch_size=2, num_workers=2))
    next(it)
    workers = list(it._workers)
    del it
    for w in workers:
        w.join(timeout=5)
    assert not any(w.is_alive() for w in workers)
