"""``torch.where(condition)`` alone: the indices of the nonzero elements, one tensor per
dimension (``nonzero(as_tuple=True)``), as the routing code of mixture-of-experts layers
uses it; a condition with only one of input/other is a TypeError, as in torch."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error


@pytest.mark.parametrize("condition", [np.array([[1, 0, 3], [0, 2, 0]]),
                                       np.array([True, False, True, True]),
                                       np.array(3), np.array(0.0),
                                       np.zeros((2, 0), np.int64)])
def test_where_of_a_condition_alone_is_its_nonzero_indices(condition):
    same(lambda lib, c: lib.where(c), condition)


def test_where_with_three_arguments_still_selects():
    same(lambda lib, c, a, b: lib.where(c > 0, a, b), np.array([1, -1, 2]),
         np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]), grad=True)


def test_where_with_condition_and_input_only_is_a_type_error():
    same_error(TypeError, lambda lib, c, a: lib.where(c, a), np.array([1, 0]),
               np.array([1.0, 2.0]), match_message=False)
