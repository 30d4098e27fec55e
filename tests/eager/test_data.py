"""utils.data: TensorDataset and DataLoader (batching, drop_last, seeded shuffling).

The comparisons with PyTorch option by option live in tests/eager/data/."""

import numpy as np
import pytest

import eager
from eager.utils.data import DataLoader, Dataset, TensorDataset, default_collate


def _dataset(n=10):
    x = eager.from_numpy(np.arange(n * 2, dtype=np.float32).reshape(n, 2))
    y = eager.from_numpy(np.arange(n))
    return TensorDataset(x, y)


def test_tensor_dataset_items_and_length():
    ds = _dataset()
    assert len(ds) == 10
    x, y = ds[3]
    assert x.tolist() == [6.0, 7.0] and y.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch"):  # PyTorch's type
        TensorDataset(eager.zeros(3), eager.zeros(4))


def test_batches_in_order_with_a_short_last_batch():
    loader = DataLoader(_dataset(), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][0].shape == (4, 2) and batches[0][0].dtype == np.float32


def test_drop_last_and_default_batch_size():
    loader = DataLoader(_dataset(), batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(b[1].tolist()) for b in loader] == [4, 4]
    single = list(DataLoader(_dataset(3)))
    assert [b[1].tolist() for b in single] == [[0], [1], [2]]


def test_batches_are_copies_not_views_of_the_data():
    ds = _dataset()
    x, _ = next(iter(DataLoader(ds, batch_size=2)))
    x.numpy()[...] = -1
    assert ds.tensors[0].numpy().min() == 0


def test_shuffle_is_a_permutation_seeded_by_the_generator():
    ds = _dataset()
    order = lambda loader: sum((b[1].tolist() for b in loader), [])  # noqa: E731
    a = order(DataLoader(ds, batch_size=3, shuffle=True, generator=eager.Generator(5)))
    b = order(DataLoader(ds, batch_size=3, shuffle=True, generator=eager.Generator(5)))
    assert a == b and sorted(a) == list(range(10)) and a != list(range(10))
    loader = DataLoader(ds, batch_size=3, shuffle=True, generator=np.random.default_rng(1))
    assert order(loader) != order(loader)  # a new permutation every epoch


def test_shuffle_without_generator_follows_manual_seed():
    ds = _dataset(50)
    order = lambda: sum((b[1].tolist() for b in DataLoader(ds, 8, shuffle=True)), [])  # noqa
    eager.manual_seed(11)
    first = order()
    eager.manual_seed(11)
    assert order() == first
    assert order() != first


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=np.float32), "label": i % 2, "w": 0.5}


def test_map_style_datasets_are_collated_field_by_field():
    batch = next(iter(DataLoader(Squares(), batch_size=3)))
    assert batch["x"].tolist() == [[0, 0], [1, 1], [2, 4]]
    assert batch["label"].tolist() == [0, 1, 0] and batch["label"].dtype == np.int64
    assert batch["w"].dtype == np.float64  # Python floats collate to float64, as in PyTorch
    pairs = default_collate([(eager.ones(2), 1), (eager.zeros(2), 2)])
    assert pairs[0].shape == (2, 2) and pairs[1].tolist() == [1, 2]
    assert isinstance(pairs, list)  # tuples collate to lists, as in PyTorch


def test_bad_arguments():
    with pytest.raises(ValueError, match="positive integer"):
        DataLoader(_dataset(), batch_size=0)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(_dataset(), num_workers=-1)
    assert len(DataLoader(_dataset(), batch_size=5, num_workers=0, pin_memory=True)) == 2


def test_worker_processes_load_the_same_batches():
    ds = _dataset()
    loader = DataLoader(ds, batch_size=3, num_workers=2)
    assert [b[1].tolist() for b in loader] == [b[1].tolist() for b in DataLoader(ds, 3)]
