"""``torch.tensor(list of tensors)`` as PyTorch reads it: each tensor in the (nested) list is
one number, so one-element tensors of any shape give a flat result, a longer tensor is torch's
ValueError, and the dtype follows the items (a tensor's own dtype, a Python number's default)."""

import numpy as np
import pytest
import torch

import eager


def _cases(lib):
    t = lib.tensor
    return [
        [t([1.5]), t([2.5])],                       # e.g. [model(x) for x in xs] with (1,) outputs
        [t([[1.5]])],
        [[t([1.5]), 2.0], [3.0, t(4.0)]],
        [t(1, dtype=lib.int32), t(2, dtype=lib.int32)],
        [t(1, dtype=lib.int32), 2],
        [t(1), t(2.5)],
        [t(True), t(False)],
        [t(1.0, dtype=lib.float64)],
        [t(1.0, dtype=lib.float16), 2.0],
        (t([3]),),
        [np.float64(1.0), t(2.0)],
        [np.int32(1), t(2, dtype=lib.int8)],
    ]


@pytest.mark.parametrize("index", range(12))
def test_tensors_in_a_list_are_read_as_numbers(index):
    theirs = torch.tensor(_cases(torch)[index])
    ours = eager.tensor(_cases(eager)[index])
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.tolist() == theirs.tolist()


def test_an_explicit_dtype_wins():
    for lib in (torch, eager):
        made = lib.tensor([lib.tensor(1.0), lib.tensor(2.0)], dtype=lib.float64)
        assert made.dtype == lib.float64


@pytest.mark.parametrize("make", [lambda lib: [lib.tensor([1.5, 2.0])],
                                  lambda lib: [[lib.ones(0)]]])
def test_a_tensor_of_more_or_fewer_than_one_element_raises_torchs_error(make):
    messages = []
    for lib in (torch, eager):
        with pytest.raises(ValueError) as info:
            lib.tensor(make(lib))
        messages.append(str(info.value))
    assert messages[0] == messages[1]
