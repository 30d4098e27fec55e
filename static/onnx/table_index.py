"""Converters of indexing and gathering: ``x[key]``, gathers along an axis, embeddings.

``index`` covers what models write: ints, slices (any step), ``None``, ``...`` and one integer
index array (``x[:, idx]``) or one 1-d boolean mask (``x[keep]``: ``Compress``); masks of more
dims and several index arrays (NumPy's broadcasting of advanced indices) are refused with the
user's line.
"""

from __future__ import annotations

import numpy as np

from .registry import converts
from .util import INT64_MAX, INT64_MIN


def _full_key(key: tuple, ndim: int) -> tuple:
    """``key`` with its Ellipsis (or the implicit one at the end) spelled out as full
    slices."""
    used = sum(1 for it in key if it[0] not in ("new", "..."))
    fill = (("slice", None, None, None),) * (ndim - used)
    i = next((i for i, it in enumerate(key) if it[0] == "..."), None)
    return key + fill if i is None else key[:i] + fill + key[i + 1:]


def _bounds(start, stop, step) -> tuple[int, int, int]:
    """A Python slice as ONNX Slice bounds (ONNX clamps them the same way)."""
    step = 1 if step is None else step
    if start is None:
        start = 0 if step > 0 else INT64_MAX
    if stop is None:
        stop = INT64_MAX if step > 0 else INT64_MIN
    return start, stop, step


def _select(e, v: str, ndim: int, arrays: list, names: list[str], key: tuple) -> str:
    """``v[key]`` for a ``v`` of ``ndim`` dims; ``arrays``/``names``: the index arrays' nodes
    and ONNX names."""
    if any(a.aval.dtype == np.bool_ and a.ndim != 1 for a in arrays):
        raise e.fail("a boolean mask of more than one dim has no ONNX mapping here; "
                     "index with integer positions or a 1-d mask")
    if len(arrays) > 1:
        raise e.fail("several index arrays in one subscript have no ONNX mapping here; "
                     "index one axis at a time")
    key = _full_key(tuple(key), ndim)
    if arrays and any(it[0] == "int" for it in key):
        raise e.fail("an int next to an index array (NumPy moves their dims) has no ONNX "
                     "mapping here; index the int first")
    starts, ends, axes, steps, squeeze, new = [], [], [], [], [], []
    gather_axis, out_pos, axis = None, 0, 0
    for it in key:
        tag = it[0]
        if tag == "new":
            new.append(out_pos)
            out_pos += 1
            continue
        if tag == "slice":
            if it[1:] != (None, None, None):
                b = _bounds(*it[1:])
                starts.append(b[0])
                ends.append(b[1])
                steps.append(b[2])
                axes.append(axis)
            out_pos += 1
        elif tag == "int":
            i = it[1]
            starts.append(i)
            ends.append(INT64_MAX if i == -1 else i + 1)
            steps.append(1)
            axes.append(axis)
            squeeze.append(axis)
        else:  # the one index array
            gather_axis = axis
            out_pos += arrays[0].ndim
        axis += 1
    if axes:
        v = e.op("Slice", v, e.ints(starts), e.ints(ends), e.ints(axes), e.ints(steps))
    if squeeze:
        v = e.op("Squeeze", v, e.ints(squeeze))
    if gather_axis is not None and arrays[0].aval.dtype == np.bool_:
        v = e.op("Compress", v, names[0], axis=gather_axis)  # a 1-d mask keeps what it marks
    elif gather_axis is not None:  # no int is present, so the axis has not moved
        idx = e.cast(names[0], arrays[0].aval.dtype, np.int64)
        v = e.op("Gather", v, idx, axis=gather_axis)
    if new:
        v = e.op("Unsqueeze", v, e.ints(new))
    return v


@converts("index", onnx="Slice, Squeeze, Gather / Compress, Unsqueeze",
          note="ints, slices, None, ... and one integer array or 1-d mask")
def _index(e, node, x):
    return _select(e, x[0], node.inputs[0].ndim, list(node.inputs[1:]), x[1:],
                   node.attrs["key"])


def _write(e, node, x, reduction: str) -> str:
    """``base`` with ``values`` written (or added) at ``base[key]``: the flat positions of
    the region come from indexing a ``Range`` shaped like base with the same key, then one
    ScatterElements over the flattened base."""
    base, values = node.inputs[0], node.inputs[1]
    shape = e.op("Shape", x[0])
    count = e.op("ReduceProd", shape, keepdims=0)
    iota = e.op("Range", e.const(0, np.int64), count, e.const(1, np.int64))
    where = _select(e, e.op("Reshape", iota, shape), base.ndim, list(node.inputs[2:]), x[2:],
                    node.attrs["key"])
    vals = e.op("Expand", e.cast(x[1], values.aval.dtype, node.aval.dtype), e.op("Shape", where))
    flat = e.ints([-1])
    out = e.op("ScatterElements", e.op("Reshape", x[0], flat), e.op("Reshape", where, flat),
               e.op("Reshape", vals, flat), axis=0, reduction=reduction)
    return e.op("Reshape", out, shape)


@converts("index_set", onnx="Range, Reshape, (index's ops), Expand, ScatterElements",
          note="keys as for index")
def _index_set(e, node, x):
    return _write(e, node, x, "none")


@converts("index_add", onnx="Range, Reshape, (index's ops), Expand, ScatterElements (add)",
          note="keys as for index; repeated positions add up")
def _index_add(e, node, x):
    return _write(e, node, x, "add")


@converts("take_along_axis", onnx="GatherElements")
def _take_along_axis(e, node, x):
    idx = e.cast(x[1], node.inputs[1].aval.dtype, np.int64)
    return e.op("GatherElements", x[0], idx, axis=int(node.attrs["axis"]))


@converts("gather_elements", onnx="GatherElements")
def _gather_elements(e, node, x):
    idx = e.cast(x[1], node.inputs[1].aval.dtype, np.int64)
    return e.op("GatherElements", x[0], idx, axis=int(node.attrs["dim"]))


@converts("embedding", onnx="Gather")
def _embedding(e, node, x):
    idx = e.cast(x[0], node.inputs[0].aval.dtype, np.int64)
    return e.op("Gather", x[1], idx, axis=0)


@converts("one_hot", onnx="OneHot, Cast")
def _one_hot(e, node, x):
    idx = e.cast(x[0], node.inputs[0].aval.dtype, np.int64)
    depth = e.const(int(node.attrs["num_classes"]), np.int64)
    hot = e.op("OneHot", idx, depth, e.const([0.0, 1.0], np.float32), axis=-1)
    return e.cast(hot, np.float32, node.aval.dtype)


@converts("scatter_elements", onnx="ScatterElements (Slice/Expand the source to the index "
          "shape first)")
def _scatter_elements(e, node, x):
    base, idx_aval, src_aval = (i.aval for i in node.inputs)
    reduce = node.attrs.get("reduce")
    if base.ndim == 0:
        raise e.fail("a 0-d scatter has no ONNX mapping here")
    v, src = e.cast(x[0], base.dtype, node.aval.dtype), e.cast(x[2], src_aval.dtype,
                                                               node.aval.dtype)
    idx = e.cast(x[1], idx_aval.dtype, np.int64)
    shape = e.op("Shape", idx)
    if src_aval.ndim == 0:  # scatter(value=...): one value at every index
        src = e.op("Expand", src, shape)
    elif src_aval.shape != idx_aval.shape or None in src_aval.shape:
        # PyTorch reads the source only where the index has entries: its leading corner
        src = e.op("Slice", src, e.ints([0] * src_aval.ndim), shape)
    reduction = {None: "none", "add": "add", "multiply": "mul"}[reduce]
    return e.op("ScatterElements", v, idx, src, axis=int(node.attrs["dim"]) % base.ndim,
                reduction=reduction)


def _unique(e, node, x, part: int) -> str:
    """Output ``part`` of ONNX Unique (0 values, 2 inverse, 3 counts), sorted as np.unique."""
    dim = node.attrs.get("dim")
    src = node.inputs[0]
    v = x[0]
    if src.aval.dtype == np.bool_:  # onnxruntime's Unique takes no bool: False, True as 0, 1
        v = e.op("Cast", v, to=e.onnx_type(np.int8))
    if dim is None or src.ndim == 0:
        outs = e.op("Unique", e.op("Reshape", v, e.ints([-1])), sorted=1, n_out=4)
    else:
        outs = e.op("Unique", v, sorted=1, axis=int(dim) % src.ndim, n_out=4)
    if part == 0 and src.aval.dtype == np.bool_:
        return e.op("Cast", outs[0], to=e.onnx_type(np.bool_))
    if part == 2 and (dim is None or src.ndim == 0):
        return e.op("Reshape", outs[2], e.op("Shape", x[0]))  # the inverse is shaped like x
    return outs[part]


@converts("unique_values", onnx="Unique (Reshape first without dim)",
          note="NaNs merge into one value; PyTorch keeps each")
def _unique_values(e, node, x):
    return _unique(e, node, x, 0)


@converts("unique_inverse", onnx="Unique, Reshape")
def _unique_inverse(e, node, x):
    return _unique(e, node, x, 2)


@converts("unique_counts", onnx="Unique")
def _unique_counts(e, node, x):
    return _unique(e, node, x, 3)


@converts("scatter_add", onnx="Shape, ScatterElements, Max, Expand, ScatterElements (add)")
def _scatter_add(e, node, x):
    base, idx_aval, values_aval = (i.aval for i in node.inputs)
    if base.ndim == 0:
        raise e.fail("a 0-d scatter_add has no ONNX mapping here")
    axis = int(node.attrs["axis"]) % base.ndim
    # NumPy's along-axis broadcasting: the index (and the values) take base's other dims
    # where theirs are 1. max(base's shape with 1 at the axis, the index's shape) is that.
    others = e.op("ScatterElements", e.op("Shape", x[0]), e.ints([axis]), e.ints([1]), axis=0)
    target = e.op("Max", others, e.op("Shape", x[1]))
    idx = e.op("Expand", e.cast(x[1], idx_aval.dtype, np.int64), target)
    values = e.op("Expand", e.cast(x[2], values_aval.dtype, node.aval.dtype), target)
    return e.op("ScatterElements", e.cast(x[0], base.dtype, node.aval.dtype), idx, values,
                axis=axis, reduction="add")
