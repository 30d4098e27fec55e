"""Samplers against PyTorch: on PyTorch's own RNG stream (``torch_stream``) the random ones
give PyTorch's exact indices, epoch after epoch; their checks raise PyTorch's errors."""

import numpy as np
import pytest
from data_pairs import raised, torch, tud

import eager
from eager.utils import data
from eager.utils.data import (
    BatchSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def epochs(sampler, n=3):
    return [list(sampler) for _ in range(n)]


def seeded(torch_stream, seed=7):
    return torch_stream(seed), torch.Generator().manual_seed(seed)


def test_sequential_sampler():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert len(SequentialSampler(range(4))) == 4


@pytest.mark.parametrize("n", [1, 2, 10, 1000])
def test_random_sampler_permutations_equal_torchs(n, torch_stream):
    ours, theirs = seeded(torch_stream)
    assert epochs(RandomSampler(range(n), generator=ours)) == \
        epochs(tud.RandomSampler(range(n), generator=theirs))


@pytest.mark.parametrize("replacement,num_samples", [(True, None), (True, 70), (False, 25),
                                                     (False, 4)])
def test_random_sampler_options_equal_torchs(replacement, num_samples, torch_stream):
    ours, theirs = seeded(torch_stream)
    mine = RandomSampler(range(10), replacement, num_samples, generator=ours)
    expected = tud.RandomSampler(range(10), replacement, num_samples, generator=theirs)
    assert len(mine) == len(expected)
    assert epochs(mine) == epochs(expected)


def test_random_sampler_without_generator_follows_the_global_seed():
    sampler = RandomSampler(range(50))
    eager.manual_seed(3)
    first = list(sampler)
    second = list(sampler)
    eager.manual_seed(3)
    assert list(sampler) == first and first != second and sorted(first) == list(range(50))


def test_subset_random_sampler_equals_torchs(torch_stream):
    indices = [10, 11, 15, 17, 30]
    ours, theirs = seeded(torch_stream)
    assert epochs(SubsetRandomSampler(indices, ours)) == \
        epochs(tud.SubsetRandomSampler(indices, theirs))
    assert len(SubsetRandomSampler(indices)) == 5


@pytest.mark.parametrize("weights,num_samples,replacement", [
    ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, True),
    ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 1, True),  # one sample: PyTorch's no-replacement path
    ([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, False),
    ([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 6, False),
    ([1.0, 0.0, 2.0, 0.0], 40, True),
])
def test_weighted_random_sampler_equals_torchs(weights, num_samples, replacement,
                                               torch_stream):
    ours, theirs = seeded(torch_stream)
    mine = WeightedRandomSampler(weights, num_samples, replacement, generator=ours)
    expected = tud.WeightedRandomSampler(weights, num_samples, replacement, generator=theirs)
    assert epochs(mine) == epochs(expected)
    assert mine.weights.dtype == np.float64 and len(mine) == num_samples


def test_weighted_sampler_takes_tensors_and_draws_in_proportion():
    sampler = WeightedRandomSampler(eager.tensor([1.0, 3.0]), 4000,
                                    generator=eager.Generator(0))
    counts = np.bincount(list(sampler), minlength=2)
    assert 2800 < counts[1] < 3200


@pytest.mark.parametrize("weights,num_samples,replacement", [
    ([0.0, 0.0], 3, True), ([-1.0, 1.0], 3, True), ([np.nan, 1.0], 3, True),
    ([np.inf, -1.0], 3, True), ([0.0, 0.0], 1, False), ([1.0, 1.0], 3, False),
    ([np.inf, 1.0], 1, False),
])
def test_weighted_sampler_bad_weights_raise_torchs_errors(weights, num_samples, replacement):
    assert raised(lambda: list(WeightedRandomSampler(weights, num_samples, replacement))) == \
        raised(lambda: list(tud.WeightedRandomSampler(weights, num_samples, replacement)))


@pytest.mark.parametrize("make", [
    lambda d: d.RandomSampler(range(3), replacement=1),
    lambda d: d.RandomSampler(range(0)),
    lambda d: d.RandomSampler(range(3), num_samples=0),
    lambda d: d.WeightedRandomSampler([1.0, 2.0], 0),
    lambda d: d.WeightedRandomSampler([1.0, 2.0], True),
    lambda d: d.WeightedRandomSampler([1.0, 2.0], 2, replacement=0),
    lambda d: d.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda d: d.BatchSampler(range(3), 0, False),
    lambda d: d.BatchSampler(range(3), 2.0, False),
    lambda d: d.BatchSampler(range(3), 2, 0),
])
def test_sampler_argument_errors_are_torchs(make):
    assert raised(lambda: make(data)) == raised(lambda: make(tud))


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 10, 11])
def test_batch_sampler_equals_torchs(batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(10)), batch_size, drop_last)
    theirs = tud.BatchSampler(tud.SequentialSampler(range(10)), batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(BatchSampler(iter(range(5)), 2, False)) == [[0, 1], [2, 3], [4]]  # any iterable
