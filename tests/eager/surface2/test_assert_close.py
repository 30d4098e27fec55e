"""eager.testing.assert_close against torch.testing.assert_close: the same pairs pass or fail
the same way, with the same exception type and message (dtype tolerances, nan, shapes,
numbers, nested sequences and mappings, ``msg``)."""

from __future__ import annotations

import pytest
from surface_pairs import torch

import eager

NAN, INF = float("nan"), float("inf")


def t(lib, data, **kw):
    return lib.tensor(data, **kw)


# Each: lib -> (actual, expected, keyword arguments).
PAIRS = {
    "float32-one-off": lambda L: (t(L, [1.0, 2.0, 3.0]), t(L, [1.0, 2.1, 3.0]), {}),
    "float32-within": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.0 + 1e-6]), {}),
    "matrix-two-off": lambda L: (t(L, [[1.0, 2.0], [3.0, 4]]), t(L, [[1.0, 2.0], [3.5, 4.5]]), {}),
    "largest-not-first": lambda L: (t(L, [[1.0, 5.0], [7.0, 2.0]]),
                                    t(L, [[1.0, 2.0], [3.0, 4.0]]), {}),
    "ints-exact": lambda L: (t(L, [1, 2, 3]), t(L, [1, 5, 3]), {}),
    "ints-zero-expected": lambda L: (t(L, [True]), t(L, [False]), {}),
    "dtype-differs": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.0], dtype=L.float64), {}),
    "dtype-unchecked": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.1], dtype=L.float64),
                                  {"check_dtype": False}),
    "int-with-float": lambda L: (t(L, [1, 2]), t(L, [1.0, 2.1]), {"check_dtype": False}),
    "shape-differs": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.0, 3.0]), {}),
    "nan": lambda L: (t(L, [1.0, NAN]), t(L, [1.0, NAN]), {}),
    "nan-equal": lambda L: (t(L, [1.0, NAN]), t(L, [1.0, NAN]), {"equal_nan": True}),
    "inf-same": lambda L: (t(L, [1.0, INF]), t(L, [1.0, INF]), {}),
    "inf-opposite": lambda L: (t(L, [1.0, INF]), t(L, [1.0, -INF]), {}),
    "zero-expected": lambda L: (t(L, [1e-3, 2.0]), t(L, [0.0, 2.0]), {}),
    "float16": lambda L: (t(L, [1.0, 2.0], dtype=L.float16), t(L, [1.0, 2.01], dtype=L.float16),
                          {}),
    "given-tolerances": lambda L: (t(L, [1.0]), t(L, [1.1]), {"rtol": 0.2, "atol": 0.0}),
    "equality": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 3.0]), {"rtol": 0, "atol": 0}),
    "0-d": lambda L: (t(L, 1.0), t(L, 1.5), {}),
    "requires-grad": lambda L: (t(L, [1.0, 2.0], requires_grad=True), t(L, [1.0, 2.0]), {}),
    "floats": lambda L: (1.0, 1.1, {}),
    "ints": lambda L: (1, 2, {}),
    "int-and-float": lambda L: (1, 1.0, {}),
    "int-and-float-unchecked": lambda L: (1, 1.0, {"check_dtype": False}),
    "bools": lambda L: (True, False, {}),
    "none": lambda L: (None, 1, {}),
    "list-of-tensors": lambda L: ([t(L, 1.0), t(L, 2.0)], [t(L, 1.0), t(L, 3.0)], {}),
    "nested-lists": lambda L: ([[1.0, 2.0]], [[1.0, 3.0]], {}),
    "lengths": lambda L: ([1, 2], [1, 2, 3], {}),
    "mapping": lambda L: ({"a": t(L, 1.0)}, {"a": t(L, 3.0)}, {}),
    "mapping-keys": lambda L: ({"a": 1}, {"b": 1}, {}),
    "message": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.5]), {"msg": "custom"}),
    "message-callable": lambda L: (t(L, [1.0, 2.0]), t(L, [1.0, 2.5]),
                                   {"msg": lambda m: "X" + m[:12]}),
    "strings": lambda L: ("a", "a", {}),
    "only-rtol": lambda L: (t(L, [1.0]), t(L, [1.1]), {"rtol": 0.1}),
}


def outcome(lib, make):
    actual, expected, kwargs = make(lib)
    try:
        lib.testing.assert_close(actual, expected, **kwargs)
    except Exception as e:  # noqa: BLE001 -- the type is what is compared
        return type(e), str(e)
    return None, ""


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_same_outcome_and_message_as_torch(name):
    assert outcome(eager, PAIRS[name]) == outcome(torch, PAIRS[name])


def test_a_tensor_against_a_list_is_a_type_error_naming_both_types():
    with pytest.raises(TypeError, match=r"No comparison pair .* and <class 'list'>\."):
        eager.testing.assert_close(eager.tensor([1.0]), [1.0])


def test_default_tolerances_are_the_dtypes():
    # float32 allows a 1e-5 absolute difference near 0; float64 only 1e-7.
    eager.testing.assert_close(eager.tensor([0.0]), eager.tensor([9e-6]))
    with pytest.raises(AssertionError, match="up to 1e-07 allowed"):
        eager.testing.assert_close(eager.tensor([0.0], dtype=eager.float64),
                                   eager.tensor([9e-6], dtype=eager.float64))
