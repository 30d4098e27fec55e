"""default_collate and default_convert against PyTorch's: the same structure, dtypes and values
for every kind of sample, and the same errors."""

from collections import OrderedDict, namedtuple

import numpy as np
import pytest
from data_pairs import raised, torch, tud

import eager
from eager.utils.data import default_collate, default_convert
from eager.utils.data._utils.collate import collate, default_collate_fn_map

Point = namedtuple("Point", ["x", "y"])


def samples(lib):
    """Batches of every kind default_collate handles, built with ``lib`` tensors."""
    f32 = np.float32
    return [
        [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        [lib.tensor(1), lib.tensor(2)],
        [np.arange(3, dtype=f32), np.ones(3, f32)],
        [np.array(1.5), np.array(2.5)],
        [np.float32(1.5), np.float32(2.5)],
        [np.float64(1.5), np.float64(2.5)],
        [np.int32(1), np.float32(2)],  # promoted the PyTorch way: float32
        [np.bool_(True), np.bool_(False)],
        [1.5, 2.0],
        [1, 2],
        [True, False],
        [1, True],
        ["a", "b"],
        [b"a", b"b"],
        [(0, "a", 1.0), (1, "b", 2.0)],
        [[0, 1], [2, 3]],
        [{"x": np.ones(2, f32), "y": 1}, {"x": np.zeros(2, f32), "y": 0}],
        [OrderedDict(a=1, b=2.0), OrderedDict(a=3, b=4.0)],
        [Point(1, 2.0), Point(3, 4.0)],
        [{"nested": [(1, np.int64(2))]}, {"nested": [(3, np.int64(4))]}],
        [(lib.zeros(2, dtype=lib.int64), lib.ones(2))],
    ]


@pytest.mark.parametrize("case", range(len(samples(eager))))
def test_default_collate_equals_torchs(case, as_plain):
    ours = default_collate(samples(eager)[case])
    theirs = tud.default_collate(samples(torch)[case])
    assert as_plain(ours) == as_plain(theirs)
    assert type(ours) is type(theirs) or isinstance(ours, eager.Tensor)


def test_stacked_tensors_of_mixed_dtypes_promote_like_torch(as_plain):
    ours = default_collate([eager.zeros(2, dtype=eager.int64), eager.ones(2)])
    theirs = tud.default_collate([torch.zeros(2, dtype=torch.int64), torch.ones(2)])
    assert as_plain(ours) == as_plain(theirs)


def test_collated_batch_is_a_copy_and_keeps_gradients():
    rows = [eager.ones(2), eager.zeros(2)]
    batch = default_collate(rows)
    batch.numpy()[...] = 7
    assert rows[0].tolist() == [1.0, 1.0]
    w = eager.ones(2, requires_grad=True)
    stacked = default_collate([w * 2, w * 3])
    stacked.sum().backward()
    assert w.grad.tolist() == [5.0, 5.0]


@pytest.mark.parametrize("make", [
    lambda lib: [object()],
    lambda lib: [np.array(["a"]), np.array(["b"])],
    lambda lib: [[1, 2], [3]],
    lambda lib: [lib.zeros(2), lib.zeros(3)],
])
def test_collate_errors_are_torchs(make):
    assert raised(lambda: default_collate(make(eager))) == \
        raised(lambda: tud.default_collate(make(torch)))


@pytest.mark.parametrize("sample", [
    np.array([1, 2]), np.float32(2.0), np.array(["x"]), (np.array([1]), 2), [np.int64(3), "s"],
    {"a": np.zeros(2, np.float32), "b": "text"}, Point(np.array(1), 2), 3, "plain",
])
def test_default_convert_equals_torchs(sample, as_plain):
    assert as_plain(default_convert(sample)) == as_plain(tud.default_convert(sample))


def test_default_convert_shares_memory_and_keeps_tensors():
    array = np.zeros(3, np.float32)
    converted = default_convert(array)
    array[0] = 5
    assert converted.tolist()[0] == 5
    t = eager.ones(2)
    assert default_convert(t) is t


def test_collate_with_a_custom_type_map():
    def first_only(batch, *, collate_fn_map):
        return batch[0]

    custom = {**default_collate_fn_map, str: first_only}
    assert collate([("a", 1), ("b", 2)], collate_fn_map=custom)[0] == "a"
