"""Integer division by zero and arithmetic negation or subtraction of bools raise a
RuntimeError as in torch (so a program's ``except RuntimeError`` catches them), still the
framework's OpValueError / DTypeError too."""

import pytest

import eager
from shared_ops.errors import DTypeError, OpValueError

torch = pytest.importorskip("torch")

CALLS = {
    "floordiv_by_zero": (lambda L: L.tensor([1, 2]) // L.tensor([1, 0]), OpValueError),
    "div_floor_by_zero": (lambda L: L.div(L.tensor([5]), L.tensor([0]), rounding_mode="floor"),
                          OpValueError),
    "remainder_by_zero": (lambda L: L.remainder(L.tensor([5]), L.tensor([0])), OpValueError),
    "neg_bool": (lambda L: -L.tensor([True]), DTypeError),
    "sub_bool": (lambda L: L.tensor([True]) - L.tensor([False]), DTypeError),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_torch_runtime_errors_are_runtime_errors(name):
    call, framework_type = CALLS[name]
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(RuntimeError) as raised:
        call(eager)
    assert isinstance(raised.value, framework_type)


def test_float_division_by_zero_still_computes():
    assert (eager.tensor([1.0]) / 0).tolist() == [float("inf")]
    assert (eager.tensor([5]) // eager.tensor([2])).tolist() == [2]
