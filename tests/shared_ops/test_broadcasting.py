"""Property tests of `broadcast_shapes`: NumPy's rule on known dims, and sound answers with
unknown (None) dims, where a static graph does not know a size yet."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_ops import broadcast_shapes
from shared_ops.errors import ShapeError

dims = st.integers(min_value=0, max_value=4)
shapes = st.lists(dims, min_size=0, max_size=4).map(tuple)
shape_lists = st.lists(shapes, min_size=1, max_size=4)
# Mostly-compatible shapes: small dims drawn from {1, n} per axis, so broadcasting succeeds
# often enough to test the unknown-dim answers too.
sizes = st.integers(min_value=0, max_value=3)


@st.composite
def compatible(draw):
    ndim = draw(st.integers(0, 4))
    target = [draw(sizes) for _ in range(ndim)]
    out = []
    for _ in range(draw(st.integers(1, 4))):
        lead = draw(st.integers(0, ndim))
        out.append(tuple(draw(st.sampled_from([1, d])) for d in target[lead:]))
    return out


def _hide(draw, shape_list):
    """Replace some dims with None."""
    return [tuple(None if draw(st.booleans()) else d for d in s) for s in shape_list]


CONFIG = settings(derandomize=True, max_examples=300, deadline=None, database=None)


@CONFIG
@given(shape_lists)
def test_known_dims_match_numpy(shape_list):
    try:
        want = np.broadcast_shapes(*shape_list)
    except ValueError:
        with pytest.raises(ShapeError, match="cannot broadcast"):
            broadcast_shapes("add", *shape_list)
        return
    assert broadcast_shapes("add", *shape_list) == want


@CONFIG
@given(compatible())
def test_compatible_shapes_broadcast_like_numpy(shape_list):
    assert broadcast_shapes("add", *shape_list) == np.broadcast_shapes(*shape_list)


@CONFIG
@given(st.data(), compatible())
def test_unknown_dims_never_contradict_the_known_answer(data, shape_list):
    want = np.broadcast_shapes(*shape_list)
    hidden = _hide(data.draw, shape_list)
    got = broadcast_shapes("add", *hidden)  # hiding a size never makes it an error
    assert len(got) == len(want)
    assert all(g is None or g == w for g, w in zip(got, want, strict=True))


@CONFIG
@given(st.data(), compatible())
def test_a_dim_is_known_when_any_input_knows_it_is_not_1(data, shape_list):
    hidden = _hide(data.draw, shape_list)
    got = broadcast_shapes("add", *hidden)
    ndim = len(got)
    for i in range(ndim):
        known = {s[i - ndim] for s in hidden if ndim - i <= len(s)} - {None, 1}
        if known:
            assert got[i] == known.pop()


def test_error_names_all_shapes():
    with pytest.raises(ShapeError) as info:
        broadcast_shapes("mul", (2, 3), (None, 4))
    assert "mul: shapes (2, 3) and (?, 4) cannot broadcast" in str(info.value)


def test_unknown_against_one_stays_unknown():
    assert broadcast_shapes("add", (None, 1), (1, 5)) == (None, 5)
    assert broadcast_shapes("add", (None,), (None,)) == (None,)
