"""`DistributedSampler` against PyTorch's: each rank's indices (shuffled per epoch or not,
padded or with drop_last), lengths, and the errors for a bad rank or no replica count; and
``Tensor.numpy(force=True)``, which scripts call on tensors that require grad."""

import pytest
import torch

import eager


@pytest.mark.parametrize("n", [1, 5, 9, 10])
@pytest.mark.parametrize("replicas", [1, 2, 3, 4])
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("drop_last", [True, False])
def test_every_rank_gets_torchs_indices(n, replicas, shuffle, drop_last):
    for rank in range(replicas):
        samplers = [lib.utils.data.distributed.DistributedSampler(
            range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=7,
            drop_last=drop_last) for lib in (torch, eager)]
        for epoch in (0, 1, 4):
            for s in samplers:
                s.set_epoch(epoch)
            theirs, ours = (list(s) for s in samplers)
            assert ours == theirs and len(samplers[1]) == len(samplers[0])
            assert samplers[1].total_size == samplers[0].total_size


def test_it_is_exported_where_torch_exports_it_and_feeds_a_dataloader():
    assert eager.utils.data.DistributedSampler is eager.utils.data.distributed.DistributedSampler
    batches = []
    for lib in (torch, eager):
        data = lib.utils.data.TensorDataset(lib.arange(11))
        sampler = lib.utils.data.DistributedSampler(data, num_replicas=2, rank=0, seed=3)
        loader = lib.utils.data.DataLoader(data, batch_size=2, sampler=sampler)
        sampler.set_epoch(2)
        batches.append([b[0].tolist() for b in loader])
    assert batches[0] == batches[1]


@pytest.mark.parametrize("rank", [-1, 2])
def test_a_rank_outside_the_replicas_raises_torchs_value_error(rank):
    messages = []
    for lib in (torch, eager):
        with pytest.raises(ValueError) as info:
            lib.utils.data.DistributedSampler(range(4), num_replicas=2, rank=rank)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_without_a_replica_count_it_needs_the_distributed_package():
    with pytest.raises(RuntimeError, match="Requires distributed package to be available"):
        eager.utils.data.DistributedSampler(range(4))


def test_numpy_force_reads_a_tensor_that_requires_grad():
    values = [lib.ones(2, requires_grad=True).mul(3).numpy(force=True).tolist()
              for lib in (torch, eager)]
    assert values[0] == values[1] == [3.0, 3.0]
