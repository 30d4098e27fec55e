"""Indexing: ``getitem`` (composite) over the ``index`` and ``index_add`` primitives.

``getitem(x, key)`` accepts what NumPy accepts: ints, slices, ``None`` (newaxis), ``...``,
integer arrays and boolean masks (ndarrays, lists, eager Tensors, static Nodes), in any mix,
with NumPy's placement rules for advanced indices.

Attrs must be hashable (static passes compare nodes), and slices are not in Python 3.11, so
the key is encoded as a tuple of small tuples; index arrays become extra, non-differentiable
inputs referred to by position:

    x[1:, None, idx]  ->  index(x, idx, key=(("slice", 1, None, None), ("new",), ("arr", 0)))

``index_add(base, values, *arrays, key)`` is ``base`` with ``values`` added at ``base[key]``,
repeated positions accumulating (a scatter-add). The two are each other's gradient: the VJP
of ``index`` is an ``index_add`` into zeros and the VJP of ``index_add`` w.r.t. ``values`` is
an ``index``, so gradients of any order work.

    >>> import numpy as np
    >>> getitem(np.arange(6).reshape(2, 3), (slice(None), [0, 0]))
    array([[0, 0],
           [3, 3]])
"""

from __future__ import annotations

import operator

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError, OpIndexError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._types import Value
from .dynamic_slice import has_dynamic_bound, slice_with_sizes
from .elementwise import unbroadcast
from .fill import zeros_like

Key = tuple[tuple, ...]
# Index arrays follow the indexed value (and the values, for index_add); none of them is
# differentiable. Positions up to this bound are declared, far beyond any real index.
_MAX_ARRAYS = 32


# --- encoding ----------------------------------------------------------------------------------
def encode_key(key) -> tuple[Key, list]:
    """Split a NumPy-style index into a hashable key and the list of index arrays it uses."""
    items = key if isinstance(key, tuple) else (key,)
    enc, arrays = [], []
    for it in items:
        if it is None:
            enc.append(("new",))
        elif it is Ellipsis:
            enc.append(("...",))
        elif isinstance(it, slice):
            if it.step is not None and operator.index(it.step) == 0:
                raise OpValueError("getitem", f"slice step cannot be zero in {it!r}")
            enc.append(("slice",) + tuple(None if v is None else operator.index(v)
                                          for v in (it.start, it.stop, it.step)))
        elif isinstance(it, int | np.integer) and not isinstance(it, bool | np.bool_):
            enc.append(("int", int(it)))
        else:  # an index array: ndarray, list, Tensor, Node (bools included: masks)
            if isinstance(it, list | tuple | bool | np.bool_):
                it = np.asarray(it)
                if it.dtype.kind == "f" and it.size == 0:
                    it = it.astype(np.int64)  # x[[]] selects nothing, as NumPy
            enc.append(("arr", len(arrays)))
            arrays.append(it)
    return tuple(enc), arrays


def decode_key(key: Key, arrays, *, for_add: bool = False) -> tuple:
    """The NumPy index tuple of an encoded key. ``ufunc.at`` wants masks as int arrays."""
    out = []
    for it in key:
        tag = it[0]
        if tag == "slice":
            out.append(slice(*it[1:]))
        elif tag == "int":
            out.append(it[1])
        elif tag == "new":
            out.append(None)
        elif tag == "...":
            out.append(Ellipsis)
        else:
            a = arrays[it[1]]
            if for_add and a.dtype.kind == "b":
                out.extend(np.nonzero(a))
            else:
                out.append(a)
    return tuple(out)


# --- the shape of x[key] -----------------------------------------------------------------------
def _slice_len(s: tuple, d):
    if d is None or s in ((None, None, None), (None, None, 1)):
        return d  # a whole axis is d itself (a compiler's planned size keeps what it is of)
    return len(range(*slice(*s).indices(d)))


def _full_key(op: str, x: Aval, key: Key, arrays: tuple[Aval, ...]) -> Key:
    """The key with its Ellipsis (or the implicit one at the end) spelled out as full slices,
    after checking it indexes no more dims than ``x`` has."""
    for a in arrays:
        if a.dtype.kind not in "biu":
            raise DTypeError(op, f"index arrays must be integer or bool, got {a.dtype}",
                             shapes=[x.shape, a.shape], dtypes=[a.dtype])

    def consumed(it) -> int:
        if it[0] in ("new", "..."):
            return 0
        if it[0] == "arr" and arrays[it[1]].dtype.kind == "b":
            return arrays[it[1]].ndim  # a k-d mask indexes k dims at once
        return 1

    if sum(1 for it in key if it[0] == "...") > 1:
        raise OpIndexError(op, "an index can only have a single ellipsis ('...')")
    used = sum(consumed(it) for it in key)
    if used > x.ndim:
        raise OpIndexError(op, f"too many indices for shape {describe_shapes(x.shape)}: "
                           f"{used} were given", shapes=[x.shape])
    fill = (("slice", None, None, None),) * (x.ndim - used)
    i = next((i for i, it in enumerate(key) if it[0] == "..."), None)
    return key + fill if i is None else key[:i] + fill + key[i + 1:]


def index_shape(op: str, x: Aval, key: Key, arrays: tuple[Aval, ...]) -> tuple:
    """NumPy's result shape for ``x[key]``, with unknown (None) dims and mask counts.

    Basic indices (slices, None, ints when no array is present) place their dims in order.
    Advanced ones (arrays, masks, and ints next to arrays) broadcast together into one block
    that goes where the first of them stands when they are adjacent, else in front (NumPy).
    """
    key = _full_key(op, x, key, arrays)
    has_arrays = any(it[0] == "arr" for it in key)
    out: list = []
    adv_shapes, adv_at, adv_spans, dim = [], None, [], 0
    for pos, it in enumerate(key):
        tag = it[0]
        if tag == "new":
            out.append(1)
            continue
        d = x.shape[dim] if dim < x.ndim else None
        if tag == "slice":
            out.append(_slice_len(it[1:], d))
            dim += 1
            continue
        if tag == "int":
            if d is not None and not -d <= it[1] < d:
                raise OpIndexError(op, f"index {it[1]} is out of bounds for axis {dim} with "
                                   f"size {d}", shapes=[x.shape])
            dim += 1
            if not has_arrays:
                continue
            shape = ()
        else:
            a = arrays[it[1]]
            if a.dtype.kind == "b":
                want = x.shape[dim:dim + a.ndim]
                if any(m is not None and w is not None and m != w
                       for m, w in zip(a.shape, want, strict=True)):
                    raise OpIndexError(op, f"boolean mask of shape {describe_shapes(a.shape)} "
                                       f"does not match the indexed dims "
                                       f"{describe_shapes(want)} of shape "
                                       f"{describe_shapes(x.shape)}", shapes=[x.shape, a.shape])
                dim += a.ndim
                shape = (None,)  # how many True values: known only at run time
            else:
                dim += 1
                shape = a.shape
        adv_shapes.append(shape)
        adv_spans.append(pos)
        if adv_at is None:
            adv_at = len(out)
    if adv_shapes:
        adv = broadcast_shapes(op, *adv_shapes)
        adjacent = adv_spans == list(range(adv_spans[0], adv_spans[0] + len(adv_spans)))
        at = adv_at if adjacent else 0
        out[at:at] = list(adv)
    return tuple(out)


# --- index: primitive --------------------------------------------------------------------------
def _index_kernel(x, *arrays, key):
    k = decode_key(key, arrays)
    out = x[k]
    if type(out) is not np.ndarray and not arrays:
        # ints only pick one element: NumPy's scalar is a copy, PyTorch's result a 0-d view
        # (x[0, 1].mul_(2) changes x): `...` after the ints makes NumPy's a view too
        out = x[(k if type(k) is tuple else (k,)) + (Ellipsis,)]
    return out


def _index_rule(x: Aval, *arrays: Aval, key) -> Aval:
    return Aval(index_shape("index", x, key, arrays), x.dtype)


def _index_vjp(g, inputs, out, key):
    x, arrays = inputs[0], inputs[1:]
    if not arrays and type(g) is np.ndarray and type(x) is np.ndarray:
        # NOTE: a basic index on arrays (the eager backward): g written into fresh zeros, not
        # index_add's copy of a zeros array (1956 against 50 us on 20x35x768, PERFORMANCE.md)
        grad = np.zeros(x.shape, np.result_type(x, g))
        grad[decode_key(key, ())] = g
        return (grad,)
    return (index_add(zeros_like(x), g, *arrays, key=key),) + (None,) * len(arrays)


def _index_torch_name(attrs, ndims, constants) -> str:
    key = attrs.get("key", ())
    if any(k[0] == "arr" for k in key):
        return "IndexBackward0"
    # PyTorch applies a basic key item by item, one view op each, and the result's grad_fn is
    # the last one made; in a key of several items a whole-axis slice makes none (x[:, :] and
    # x[...] are aliases), x[0, :] ends in a select and x[:, None] in an unsqueeze.
    name = "AliasBackward0"
    for k in key:
        if k[0] == "int":
            name = "SelectBackward0"
        elif k[0] == "new":
            name = "UnsqueezeBackward0"
        elif k[0] == "slice" and (len(key) == 1 or k[1:] not in _WHOLE_AXIS):
            name = "SliceBackward0"
    return name


_WHOLE_AXIS = ((None, None, None), (None, None, 1))


index = primitive("index", _index_kernel, _index_rule, _index_vjp,
                  nondiff_inputs=tuple(range(1, 1 + _MAX_ARRAYS)), torch_name=_index_torch_name,
                  doc="x[key] for an encoded key (see `getitem`); index arrays are extra inputs.")


# --- index_add: primitive ----------------------------------------------------------------------
def _index_add_kernel(base, values, *arrays, key):
    out = base.copy()
    if arrays:  # advanced indices may repeat a position: only ufunc.at accumulates repeats
        np.add.at(out, decode_key(key, arrays, for_add=True), values)
    else:
        out[decode_key(key, arrays)] += values
    return out


def check_values_fit(op: str, base: Aval, values: Aval, key, arrays) -> None:
    """``values`` must broadcast to the shape of ``base[key]`` without growing it (index_add,
    index_set)."""
    target = index_shape(op, base, key, arrays)
    got = broadcast_shapes(op, values.shape, target)
    if len(got) != len(target) or any(
            a is not None and b is not None and a != b for a, b in zip(got, target, strict=True)):
        raise ShapeError(op, f"values of shape {describe_shapes(values.shape)} do not "
                         f"fit the indexed shape {describe_shapes(target)}",
                         shapes=[base.shape, values.shape])


def _index_add_rule(base: Aval, values: Aval, *arrays: Aval, key) -> Aval:
    check_values_fit("index_add", base, values, key, arrays)
    return base


def _index_add_vjp(g, inputs, out, key):
    values, arrays = inputs[1], inputs[2:]
    return (g, unbroadcast(index(g, *arrays, key=key), values)) + (None,) * len(arrays)


index_add = primitive("index_add", _index_add_kernel, _index_add_rule, _index_add_vjp,
                      promote=(0, 1), nondiff_inputs=tuple(range(2, 2 + _MAX_ARRAYS)),
                      doc="``base`` with ``values`` added at ``base[key]``, repeats accumulating.")


# --- getitem: composite ------------------------------------------------------------------------
@composite
def getitem(x: Value, key) -> Value:
    """``x[key]`` with NumPy semantics; the gradient scatters back with ``index_add``. A key
    of slices with a bound known only when the graph runs is a `dynamic_slice.slice_dims`."""
    if has_dynamic_bound(key if isinstance(key, tuple) else (key,)):
        return slice_with_sizes(x, key if isinstance(key, tuple) else (key,))
    enc, arrays = encode_key(key)
    return index(x, *arrays, key=enc)


@composite
def add_at(x: Value, key, values: Value) -> Value:
    """``x`` with ``values`` added at ``x[key]`` (repeats accumulate): ``index_add`` with a
    NumPy-style key, like ``torch.index_put(..., accumulate=True)``."""
    enc, arrays = encode_key(key)
    return index_add(x, values, *arrays, key=enc)


__all__ = ["index", "index_add", "getitem", "add_at", "encode_key", "decode_key"]
