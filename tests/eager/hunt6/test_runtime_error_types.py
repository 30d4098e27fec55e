"""Integer division by zero, gather/scatter indices out of range, norms of integers and
arithmetic negation or subtraction of bools raise a RuntimeError as in torch (so a program's
``except RuntimeError`` catches them), still the framework's OpValueError / OpIndexError /
DTypeError too."""

import pytest

import eager
from shared_ops.errors import DTypeError, OpValueError

torch = pytest.importorskip("torch")

CALLS = {
    "floordiv_by_zero": (lambda L: L.tensor([1, 2]) // L.tensor([1, 0]), OpValueError),
    "div_floor_by_zero": (lambda L: L.div(L.tensor([5]), L.tensor([0]), rounding_mode="floor"),
                          OpValueError),
    "remainder_by_zero": (lambda L: L.remainder(L.tensor([5]), L.tensor([0])), OpValueError),
    "gather_out_of_range": (lambda L: L.arange(3).gather(0, L.tensor([5])), IndexError),
    "scatter_add_out_of_range": (lambda L: L.zeros(3).scatter_add(0, L.tensor([-4]),
                                                                   L.ones(1)), IndexError),
    "norm_of_ints": (lambda L: L.tensor([3, 4]).norm(), DTypeError),
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


@pytest.mark.parametrize("pair", [("float32", "float64"), ("int64", "float32"),
                                  ("bool", "int64")], ids=repr)
@pytest.mark.parametrize("fn", ["allclose", "isclose"])
def test_close_refuses_two_dtypes_as_torch(fn, pair):
    def message(lib):
        a = lib.tensor([1], dtype=getattr(lib, pair[0]))
        b = lib.tensor([1], dtype=getattr(lib, pair[1]))
        with pytest.raises(RuntimeError) as raised:
            getattr(lib, fn)(a, b)
        with pytest.raises(RuntimeError):
            getattr(a, fn)(b)
        return str(raised.value)

    assert message(eager) == message(torch)
