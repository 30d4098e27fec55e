"""``static.placeholder`` takes dims that are ints >= 0 (NumPy ints too) or None; anything else
is an error at the line that built it, naming the placeholder and the dim, never a silently
different shape (``int(3.7)`` is 3, ``int(True)`` is 1)."""

import numpy as np
import pytest

import static
from shared_ops.limits import SizeLimitError, max_elements


@pytest.mark.parametrize("shape, dims", [
    ((None, 3), (None, 3)),
    ([2, 0], (2, 0)),
    ((np.int64(4), np.int32(2)), (4, 2)),
    ((), ()),
])
def test_int_and_none_dims_are_kept(shape, dims):
    with static.Graph():
        x = static.placeholder(shape, name="x")
    assert x.shape == dims and all(type(d) in (int, type(None)) for d in x.shape)


@pytest.mark.parametrize("shape, error, message", [
    ((-5, 3), ValueError, r"placeholder %x: dim 0 of shape \(-5, 3\) is -5; dims are "
                          r"non-negative"),
    ((3, np.int64(-1)), ValueError, r"placeholder %x: dim 1 .* is -1"),
    ((True, 3), TypeError, r"placeholder %x: dim 0 of shape \(True, 3\) is bool True; a dim is "
                           r"an int, or None for unknown"),
    ((np.bool_(True),), TypeError, r"dim 0 .* is bool np.True_"),
    ((3.0, 2), TypeError, r"placeholder %x: dim 0 .* is float 3.0"),
    ((2, 2.5), TypeError, r"dim 1 .* is float 2.5"),
    (("3", 2), TypeError, r"dim 0 .* is str '3'"),
    ("ab", TypeError, r"placeholder %x: shape must be a tuple of dims .* got str 'ab'"),
    (5, TypeError, r"shape must be a tuple of dims .* got int 5"),
])
def test_bad_dims_are_refused_naming_the_placeholder_and_dim(shape, error, message):
    with static.Graph() as g, pytest.raises(error, match=message) as info:
        static.placeholder(shape, name="x")
    assert "test_placeholder_dims.py" in str(info.value)  # the user's line
    assert len(g.nodes) == 0


def test_an_unnamed_placeholder_is_named_by_its_op():
    with static.Graph(), pytest.raises(ValueError, match=r"^placeholder: dim 0"):
        static.placeholder((-1,))


def test_a_shape_over_the_element_limit_is_refused_at_build_time():
    with static.Graph() as g, max_elements(100), \
            pytest.raises(SizeLimitError, match=r"placeholder: output f64\[10,11\] would have "
                                                r"110 elements"):
        static.placeholder((10, 11), np.float64, name="x")
    assert len(g.nodes) == 0
    with static.Graph(), max_elements(100):
        assert static.placeholder((None, 100), name="x").shape == (None, 100)  # None: unknown
