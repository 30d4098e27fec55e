"""``set_float32_matmul_precision``/``get_float32_matmul_precision``, the header line of many
training scripts: the value is recorded and read back as in PyTorch (``allow_tf32`` follows),
and an unknown value warns with PyTorch's message and changes nothing."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.fixture
def restore_precision():
    before = (eager.get_float32_matmul_precision(), torch.get_float32_matmul_precision())
    yield
    eager.set_float32_matmul_precision(before[0])
    torch.set_float32_matmul_precision(before[1])


@pytest.mark.parametrize("precision", ["high", "medium", "highest"])
def test_the_precision_set_is_read_back_with_torch_tf32_flag(precision, restore_precision):
    for lib in (eager, torch):
        lib.set_float32_matmul_precision(precision)
    assert eager.get_float32_matmul_precision() == torch.get_float32_matmul_precision()
    assert eager.backends.cuda.matmul.allow_tf32 == torch.backends.cuda.matmul.allow_tf32


def test_an_unknown_precision_warns_as_torch_and_changes_nothing(restore_precision):
    for lib in (eager, torch):
        lib.set_float32_matmul_precision("medium")
    messages = []
    for lib in (eager, torch):
        with pytest.warns(UserWarning) as caught:
            lib.set_float32_matmul_precision("fast")
        messages.append(str(caught[0].message))
    assert messages[0] in messages[1]  # torch appends where in its C++ it was triggered
    assert eager.get_float32_matmul_precision() == "medium"
