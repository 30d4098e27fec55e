"""Data loading after ``manual_seed`` runs on PyTorch's stream: shuffled batch orders, sampler
draws and ``random_split`` equal PyTorch's, epoch after epoch."""

import numpy as np
import pytest

import eager
from eager.utils import data as edata

torch = pytest.importorskip("torch")
tdata = torch.utils.data

X = np.arange(50, dtype=np.float32).reshape(25, 2)
Y = np.arange(25)


def loaders(**options):
    ours = edata.DataLoader(edata.TensorDataset(eager.tensor(X), eager.tensor(Y)), **options)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(X), torch.tensor(Y)), **options)
    return ours, theirs


def labels(loader):
    return [y.tolist() for _, y in loader]


@pytest.mark.parametrize("options", [{"batch_size": 4, "shuffle": True},
                                     {"batch_size": 3, "shuffle": True, "drop_last": True},
                                     {"batch_size": 5}])
def test_shuffled_batches_follow_the_global_seed_as_torchs(options):
    ours, theirs = loaders(**options)
    eager.manual_seed(0)
    torch.manual_seed(0)
    for _ in range(3):
        assert labels(ours) == labels(theirs)
    # The loader's draws (base seed, sampler seed) left both streams at the same place.
    np.testing.assert_array_equal(eager.rand(3).numpy(), torch.rand(3).numpy())


def draws(m, data):
    """Each sampler's indices, then ``random_split``'s, all from the global generator."""
    weights = [0.1, 0.5, 0.0, 2.0, 1.0]
    parts = [data.RandomSampler(range(9)),
             data.RandomSampler(range(9), replacement=True, num_samples=40),
             data.SubsetRandomSampler([4, 8, 15, 16, 23, 42]),
             data.WeightedRandomSampler(weights, 12),
             data.WeightedRandomSampler(weights, 3, replacement=False)]
    out = [[int(i) for i in part] for part in parts]
    return out + [[int(i) for i in s.indices] for s in data.random_split(range(10), [0.3, 0.7])]


def test_samplers_and_random_split_on_the_global_generator():
    eager.manual_seed(3)
    torch.manual_seed(3)
    assert draws(eager, edata) == draws(torch, tdata)


def test_loader_with_its_own_generator_equals_torchs():
    ours, _ = loaders(batch_size=4, shuffle=True, generator=eager.Generator().manual_seed(5))
    _, theirs = loaders(batch_size=4, shuffle=True,
                        generator=torch.Generator().manual_seed(5))
    assert labels(ours) == labels(theirs) and labels(ours) == labels(theirs)
