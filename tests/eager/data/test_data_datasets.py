"""Datasets and random_split against PyTorch: items, lengths, errors, and the split itself."""

import warnings

import numpy as np
import pytest
from data_pairs import raised, torch, tud

import eager
import eager.utils.data as eud


def both(make):
    """``make(lib, data)`` for eager (with eager.utils.data) and for torch."""
    return make(eager, eager.utils.data), make(torch, tud)


def test_tensor_dataset_items_and_errors(as_plain):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    ours, theirs = both(lambda lib, d: d.TensorDataset(lib.tensor(x), lib.arange(6)))
    assert len(ours) == len(theirs) == 6
    for i in (0, 3, -1, slice(1, 4), [4, 1]):
        assert as_plain(ours[i]) == as_plain(theirs[i])
    assert raised(lambda: eud.TensorDataset(eager.zeros(2), eager.zeros(3))) == \
        raised(lambda: tud.TensorDataset(torch.zeros(2), torch.zeros(3)))


def test_concat_dataset_indexing_and_cumulative_sizes():
    parts = [range(3), range(10, 15), range(20, 22)]
    ours, theirs = eud.ConcatDataset(parts), tud.ConcatDataset(parts)
    assert ours.cumulative_sizes == theirs.cumulative_sizes == [3, 8, 10]
    assert [ours[i] for i in range(-10, 10)] == [theirs[i] for i in range(-10, 10)]
    for bad in (-11, 10):
        assert raised(lambda: ours[bad]) == raised(lambda: theirs[bad])  # noqa: B023
    assert raised(lambda: eud.ConcatDataset([])) == raised(lambda: tud.ConcatDataset([]))
    added = eud.TensorDataset(eager.arange(2)) + eud.TensorDataset(eager.arange(3))
    assert isinstance(added, eud.ConcatDataset) and len(added) == 5


def counting(base):
    """An iterable dataset of ``range(n)`` with a length, on eager's or torch's base class."""

    class Count(base):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n

    return Count


Count, TorchCount = counting(eud.IterableDataset), counting(tud.IterableDataset)


def test_chain_dataset_and_iterable_addition():
    chained = Count(2) + Count(3)
    assert isinstance(chained, eud.ChainDataset) and list(chained) == [0, 1, 0, 1, 2]
    assert len(chained) == 5
    assert raised(lambda: eud.ConcatDataset([Count(2)])) == \
        raised(lambda: tud.ConcatDataset([TorchCount(2)]))
    assert raised(lambda: list(eud.ChainDataset([range(2)]))) == \
        raised(lambda: list(tud.ChainDataset([range(2)])))


def test_stack_dataset_tuples_dicts_and_errors():
    ours = eud.StackDataset(range(3), range(10, 13))
    assert ours[1] == (1, 11) and ours.__getitems__([2, 0]) == [(2, 12), (0, 10)]
    named = eud.StackDataset(a=range(3), b=eud.Subset(range(5), [4, 3, 2]))
    assert named[0] == {"a": 0, "b": 4}
    assert named.__getitems__([1]) == tud.StackDataset(a=range(3), b=range(4, 1, -1)) \
        .__getitems__([1])
    for args, kwargs in [((), {}), ((range(2), range(3)), {}), ((range(2),), {"a": range(2)})]:
        assert raised(lambda: eud.StackDataset(*args, **kwargs)) == \
            raised(lambda: tud.StackDataset(*args, **kwargs))  # noqa: B023


def test_subset_and_its_subclass_rule():
    sub = eud.Subset(range(10, 20), [5, 1, 7])
    assert len(sub) == 3 and sub[0] == 15 and sub.__getitems__([2, 1]) == [17, 11]

    def overriding(base):  # the same class name for both: it is part of the message
        return type("Overrides", (base,), {"__getitem__": lambda self, idx: 0})

    assert raised(lambda: overriding(eud.Subset)(range(3), [0])) == \
        raised(lambda: overriding(tud.Subset)(range(3), [0]))


def test_dataset_base_class():
    class NoItems(eud.Dataset):
        pass

    class TorchNoItems(tud.Dataset):
        pass

    assert raised(lambda: NoItems()[0]) == raised(lambda: TorchNoItems()[0])
    assert raised(lambda: len(NoItems()))[0] == "TypeError"  # no default __len__
    assert eud.Dataset[int] is not None  # generic, as annotations in PyTorch code use it


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [1, 0, 9]])
@pytest.mark.parametrize("seed", [0, 42])
def test_random_split_is_torchs_split_on_torchs_stream(lengths, seed, torch_stream):
    ours = eud.random_split(range(10), lengths, generator=torch_stream(seed))
    theirs = tud.random_split(range(10), lengths, generator=torch.Generator().manual_seed(seed))
    assert [list(s.indices) for s in ours] == [list(s.indices) for s in theirs]


def test_random_split_with_eager_generators():
    def split(generator):
        return [list(s) for s in eud.random_split(range(20), [0.5, 0.3, 0.2], generator=generator)]

    parts = split(eager.Generator(3))
    assert [len(p) for p in parts] == [10, 6, 4]
    assert sorted(sum(parts, [])) == list(range(20))
    assert split(eager.Generator(3)) == parts and split(eager.Generator(4)) != parts
    eager.manual_seed(5)
    first = [list(s) for s in eud.random_split(range(20), [10, 10])]  # the global generator
    eager.manual_seed(5)
    assert [list(s) for s in eud.random_split(range(20), [10, 10])] == first


def test_random_split_fraction_rounding_warning_and_errors():
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        sizes = [len(s) for s in eud.random_split(range(5), [0.1, 0.1, 0.8])]
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        expected = [len(s) for s in tud.random_split(range(5), [0.1, 0.1, 0.8])]
    assert sizes == expected
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    for lengths in ([1, 1], [0.5, 0.6], [-0.5, 1.5]):
        assert raised(lambda: eud.random_split(range(10), lengths)) == \
            raised(lambda: tud.random_split(range(10), lengths))  # noqa: B023
