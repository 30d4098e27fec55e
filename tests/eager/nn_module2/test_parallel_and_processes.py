"""DataParallel on a machine without accelerators, DistributedDataParallel and
eager.distributed without a process group, eager.multiprocessing's spawn: as torch on CPU."""

from __future__ import annotations

import pytest
from module2_oracle import same_error, under_both

import eager
import eager.distributed as dist
import eager.multiprocessing as mp
import eager.nn as nn


def test_data_parallel_calls_the_module_and_prefixes_state_dict_keys():
    def scenario(lib):
        inner = lib.nn.Linear(3, 2)
        model = lib.nn.DataParallel(inner, device_ids=[0, 1])
        out = model(lib.ones(4, 3))
        restored = lib.nn.DataParallel(lib.nn.Linear(3, 2))
        restored.load_state_dict(model.state_dict())
        return (repr(model), list(model.state_dict()), model.module is inner, model.device_ids,
                tuple(out.shape), lib.equal(restored(lib.ones(1, 3)), inner(lib.ones(1, 3))))
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_distributed_data_parallel_and_collectives_need_a_process_group():
    same_error(ValueError, lambda lib: lib.nn.parallel.DistributedDataParallel(
        lib.nn.Linear(2, 2)))
    for call in ("get_rank", "get_world_size", "barrier"):
        same_error(ValueError, lambda lib, call=call: getattr(lib.distributed, call)())
    same_error(ValueError, lambda lib: lib.distributed.all_reduce(lib.ones(1)))
    same_error(AssertionError, lambda lib: lib.distributed.destroy_process_group())
    same_error(RuntimeError, lambda lib: lib.nn.parallel.data_parallel(lib.nn.Linear(2, 2),
                                                                        lib.ones(1, 2)))


def test_distributed_says_it_is_unavailable_and_cannot_start():
    assert (dist.is_available(), dist.is_initialized(), dist.is_nccl_available()) == \
        (False, False, False)
    with pytest.raises(RuntimeError, match="no communication backend"):
        dist.init_process_group("gloo")
    assert dist.ReduceOp.SUM is not dist.ReduceOp.MAX


def _child(i, queue):
    queue.put((i, float(eager.ones(2).sum() * i)))


def _failing_child(i):
    if i == 1:
        raise ValueError("boom in the child")


def test_spawn_runs_each_index_and_reports_a_childs_exception():
    ctx = mp.get_context("fork")
    queue = ctx.SimpleQueue()
    mp.start_processes(_child, args=(queue,), nprocs=2, start_method="fork")
    assert sorted(queue.get() for _ in range(2)) == [(0, 0.0), (1, 2.0)]
    with pytest.raises(mp.ProcessRaisedException, match="boom in the child") as info:
        mp.start_processes(_failing_child, nprocs=2, start_method="fork")
    assert info.value.error_index == 1
    assert "-- Process 1 terminated with the following error:" in str(info.value)


def test_multiprocessing_is_pythons_with_torchs_additions():
    import multiprocessing
    assert mp.Process is multiprocessing.Process and mp.get_start_method() == \
        multiprocessing.get_start_method()
    assert mp.get_sharing_strategy() == "file_descriptor"
    assert mp.get_all_sharing_strategies() == {"file_descriptor", "file_system"}
    assert eager.multiprocessing is mp and nn.parallel.DataParallel is nn.DataParallel
