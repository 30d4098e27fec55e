"""The DataLoader in the main process against PyTorch's: the same batches for every option, the
same shuffles on PyTorch's RNG stream (the per-epoch base-seed draw included), the same errors,
and a small training loop that prints PyTorch's losses."""

import warnings

import numpy as np
import pytest
from data_pairs import raised, torch, tud

import eager
from eager.utils import data
from eager.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset
from eager.utils.data._random import random_int64

X = np.arange(26, dtype=np.float32).reshape(13, 2)
Y = np.arange(13) % 3


def datasets():
    return (TensorDataset(eager.tensor(X), eager.tensor(Y)),
            tud.TensorDataset(torch.tensor(X), torch.tensor(Y)))


class Records(Dataset):
    """A map-style dataset of dicts mixing arrays, numbers and strings."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        return {"x": np.full(2, i, np.float32), "label": i % 2, "w": i / 2, "name": f"r{i}"}


class TorchRecords(tud.Dataset):
    __len__ = Records.__len__
    __getitem__ = Records.__getitem__


OPTIONS = [
    {},
    {"batch_size": 4},
    {"batch_size": 4, "drop_last": True},
    {"batch_size": 20},
    {"batch_size": None},
    {"batch_size": 3, "sampler": [5, 1, 12, 0, 3]},
    {"batch_sampler": [[0, 1], [12, 2, 4], [7]]},
    {"batch_size": 5, "collate_fn": lambda batch: len(batch)},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_batches_equal_torchs(options, as_plain):
    ours, theirs = datasets()
    mine, expected = DataLoader(ours, **options), tud.DataLoader(theirs, **options)
    assert len(mine) == len(expected)
    assert as_plain(list(mine)) == as_plain(list(expected))


@pytest.mark.parametrize("options", [{"batch_size": 3}, {"batch_size": None}])
def test_custom_datasets_collate_like_torch(options, as_plain):
    assert as_plain(list(DataLoader(Records(), **options))) == \
        as_plain(list(tud.DataLoader(TorchRecords(), **options)))


def test_plain_sequences_are_datasets(as_plain):
    assert as_plain(list(DataLoader(range(5), batch_size=2))) == \
        as_plain(list(tud.DataLoader(range(5), batch_size=2)))


def test_subset_of_a_tensor_dataset_fast_path_equals_the_general_path(as_plain):
    ours, theirs = datasets()
    indices = [12, 0, 5, 5, 3, 8]
    mine = DataLoader(data.Subset(data.Subset(ours, list(range(13))), indices), batch_size=4)
    expected = tud.DataLoader(tud.Subset(theirs, indices), batch_size=4)
    assert as_plain(list(mine)) == as_plain(list(expected))
    x, _ = next(iter(DataLoader(ours, batch_size=2)))
    x.numpy()[...] = -1  # a batch is a copy: writing to it leaves the dataset alone
    assert ours.tensors[0].numpy().min() == 0


@pytest.mark.parametrize("options", [{"batch_size": 4}, {"batch_size": 4, "drop_last": True},
                                     {"batch_size": 1}])
def test_shuffle_equals_torchs_on_torchs_stream(options, torch_stream, as_plain):
    ours, theirs = datasets()
    mine = DataLoader(ours, shuffle=True, generator=torch_stream(11), **options)
    expected = tud.DataLoader(theirs, shuffle=True, generator=torch.Generator().manual_seed(11),
                              **options)
    for _ in range(3):  # each epoch: a base-seed draw, then a permutation, as in PyTorch
        assert as_plain(list(mine)) == as_plain(list(expected))


def test_global_generator_moves_as_torchs_does():
    ours, theirs = datasets()
    eager.manual_seed(5)  # eager's global generator is PyTorch's stream (eager/random/)
    torch.manual_seed(5)
    for options in ({"shuffle": True}, {}):  # sampler seed + base seed, or base seed only
        list(DataLoader(ours, batch_size=4, **options))
        list(tud.DataLoader(theirs, batch_size=4, **options))
        assert random_int64(None) == torch.empty((), dtype=torch.int64).random_().item()


def test_shuffle_with_eager_generators_is_repeatable():
    ours, _ = datasets()

    def order(loader):
        return sum((y.tolist() for _, y in loader), [])

    a = order(DataLoader(ours, batch_size=3, shuffle=True, generator=eager.Generator(5)))
    b = order(DataLoader(ours, batch_size=3, shuffle=True, generator=eager.Generator(5)))
    assert a == b and sorted(a) == sorted(Y.tolist()) and a != Y.tolist()
    eager.manual_seed(11)
    first = order(DataLoader(ours, batch_size=3, shuffle=True))
    eager.manual_seed(11)
    assert order(DataLoader(ours, batch_size=3, shuffle=True)) == first


class Stream(IterableDataset):
    def __init__(self, n, reported=None):
        self.n, self.reported = n, reported if reported is not None else n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.reported


class TorchStream(tud.IterableDataset):
    __init__, __iter__, __len__ = Stream.__init__, Stream.__iter__, Stream.__len__


@pytest.mark.parametrize("options", [{}, {"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                                     {"batch_size": None}])
def test_iterable_datasets_equal_torchs(options, as_plain):
    mine, expected = DataLoader(Stream(8), **options), tud.DataLoader(TorchStream(8), **options)
    assert len(mine) == len(expected)
    assert as_plain(list(mine)) == as_plain(list(expected))


def test_iterable_dataset_longer_than_its_len_warns_like_torch():
    def messages(loader):
        len(loader)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(loader)
        return [str(w.message).replace("Torch", "") for w in caught]

    ours = messages(DataLoader(Stream(3, reported=2)))
    theirs = messages(tud.DataLoader(TorchStream(3, reported=2)))
    assert [m.split(" was reported")[1] for m in ours] == \
        [m.split(" was reported")[1] for m in theirs] and len(ours) == 1


@pytest.mark.parametrize("kwargs", [
    {"batch_size": 0}, {"batch_size": -1}, {"batch_size": 2.0}, {"num_workers": -1},
    {"timeout": -1}, {"prefetch_factor": 2}, {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True}, {"sampler": [0], "shuffle": True},
    {"batch_sampler": [[0]], "batch_size": 2}, {"batch_sampler": [[0]], "shuffle": True},
    {"batch_sampler": [[0]], "sampler": [0]}, {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True}, {"multiprocessing_context": "spawn"},
    {"num_workers": 1, "multiprocessing_context": "bogus"},
    {"num_workers": 1, "multiprocessing_context": 3},
])
def test_conflicting_options_raise_torchs_errors(kwargs):
    assert raised(lambda: DataLoader(range(3), **kwargs)) == \
        raised(lambda: tud.DataLoader(range(3), **kwargs))


@pytest.mark.parametrize("kwargs", [{"shuffle": True}, {"sampler": [0]},
                                    {"batch_sampler": [[0]]}])
def test_iterable_dataset_option_errors_are_torchs(kwargs):
    ours = raised(lambda: DataLoader(Stream(3), **kwargs))
    theirs = raised(lambda: tud.DataLoader(TorchStream(3), **kwargs))
    assert ours == theirs


def test_frozen_attributes_and_iterator_rules():
    ours, theirs = datasets()
    for name in ("batch_size", "sampler", "dataset", "drop_last"):
        assert raised(lambda: setattr(DataLoader(ours), name, 2)) == \
            raised(lambda: setattr(tud.DataLoader(theirs), name, 2))  # noqa: B023
    loader = DataLoader(ours, batch_size=5)
    loader.num_workers = 0  # not frozen
    it = iter(loader)
    assert len(it) == 3 and iter(it) is it
    assert raised(lambda: iter(DataLoader(ours, timeout=1))) == \
        raised(lambda: iter(tud.DataLoader(theirs, timeout=1)))


def test_pin_memory_is_accepted_and_warns_like_torch_without_an_accelerator(as_plain):
    ours, theirs = datasets()
    with pytest.warns(UserWarning) as mine:
        batches = list(DataLoader(ours, batch_size=5, pin_memory=True))
    with pytest.warns(UserWarning) as expected:
        torch_batches = list(tud.DataLoader(theirs, batch_size=5, pin_memory=True))
    assert [str(w.message) for w in mine] == [str(w.message) for w in expected]
    assert as_plain(batches) == as_plain(torch_batches)


def test_a_training_loop_prints_torchs_losses():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 3)).astype(np.float32)
    y = (x @ np.array([1.5, -2.0, 0.5], np.float32) + 0.3).astype(np.float32)[:, None]
    w0 = rng.standard_normal((1, 3)).astype(np.float32)
    order = rng.permutation(40).tolist()

    def train(lib, d):
        model = lib.nn.Linear(3, 1)
        with lib.no_grad():
            model.weight.copy_(lib.tensor(w0))
            model.bias.zero_()
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        loader = d.DataLoader(d.TensorDataset(lib.tensor(x), lib.tensor(y)), batch_size=8,
                              sampler=order)
        losses = []
        for _ in range(3):
            for xb, yb in loader:
                opt.zero_grad()
                loss = lib.nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                opt.step()
                losses.append(f"{loss.item():.5f}")
        return losses

    assert train(eager, data) == train(torch, tud)
