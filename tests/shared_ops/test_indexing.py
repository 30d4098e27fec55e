"""Property tests of indexing against NumPy: random mixes of ints, slices (negative steps
included), None, Ellipsis, integer arrays and boolean masks. The value, the shape rule's
answer and the scatter-add gradient all agree with NumPy's own indexing."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import shared_ops as ops
from shared_ops import Aval, aval_of
from shared_ops.ops.indexing import encode_key, index_shape

CONFIG = settings(derandomize=True, max_examples=300, deadline=None, database=None)


@st.composite
def indexed(draw):
    """An array and a NumPy index into it."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    array_shape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))  # shared: they broadcast
    key, dim, ellipsis = [], 0, False
    for _ in range(draw(st.integers(1, 4))):
        if dim >= len(shape):
            break
        n = shape[dim]
        kind = draw(st.sampled_from(["int", "slice", "new", "ellipsis", "array", "mask"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            bound = st.none() | st.integers(-n - 1, n + 1)
            step = draw(st.none() | st.sampled_from([-2, -1, 1, 2]))
            key.append(slice(draw(bound), draw(bound), step))
        elif kind == "new":
            key.append(None)
            continue
        elif kind == "ellipsis":
            if ellipsis:
                continue
            ellipsis = True
            key.append(Ellipsis)
            dim = len(shape) - sum(1 for k in key if k is not None and k is not Ellipsis)
            continue
        elif kind == "array":
            count = int(np.prod(array_shape))
            values = draw(st.lists(st.integers(-n, n - 1), min_size=count, max_size=count))
            key.append(np.array(values, dtype=np.int64).reshape(array_shape))
        else:
            span = draw(st.integers(1, len(shape) - dim))
            mask_shape = shape[dim:dim + span]
            flags = draw(st.lists(st.booleans(), min_size=int(np.prod(mask_shape)),
                                  max_size=int(np.prod(mask_shape))))
            key.append(np.array(flags, dtype=bool).reshape(mask_shape))
            dim += span
            continue
        dim += 1
    return x, tuple(key)


def _numpy_or_none(x, key):
    try:
        return x[key]
    except IndexError:  # e.g. a mask and an array whose shapes do not broadcast
        return None


def valid_indexed():
    """``(x, key, x[key])`` for the keys NumPy accepts."""
    return indexed().map(lambda case: (*case, _numpy_or_none(*case))).filter(
        lambda case: case[2] is not None)


@CONFIG
@given(valid_indexed())
def test_value_and_shape_rule_match_numpy(case):
    x, key, want = case
    np.testing.assert_array_equal(ops.getitem(x, key), want)
    enc, arrays = encode_key(key)
    rule = index_shape("index", aval_of(x), enc, tuple(Aval(a.shape, a.dtype) for a in arrays))
    assert len(rule) == want.ndim
    masks = any(a.dtype == bool for a in arrays)
    assert all(r == w or (r is None and masks) for r, w in zip(rule, want.shape, strict=True))
    # With the first dim unknown the rule may know less, never something else.
    hidden = Aval((None,) + x.shape[1:], x.dtype)
    vague = index_shape("index", hidden, enc, tuple(Aval(a.shape, a.dtype) for a in arrays))
    assert len(vague) == want.ndim
    assert all(v is None or v == w for v, w in zip(vague, want.shape, strict=True))


@CONFIG
@given(valid_indexed())
def test_scatter_add_is_the_adjoint(case):
    x, key, want = case
    g = np.random.default_rng(0).standard_normal(want.shape)
    got = ops.add_at(np.zeros_like(x), key, g)
    # <x[key], g> == <x, add_at(0, key, g)> for every x: the defining property of the adjoint.
    probe = np.random.default_rng(1).standard_normal(x.shape)
    assert np.isclose(np.sum(probe[key] * g), np.sum(probe * got))
