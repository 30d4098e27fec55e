"""Converters of shape, layout, joining and filling ops, runtime shapes included.

A target shape known when the graph was built is a constant; one read from a ``like`` input
(or a size template of `reshape_dims`/`broadcast_dims`) is computed in the ONNX graph from
``Shape`` nodes, so an exported model keeps its dynamic dims.
"""

from __future__ import annotations

import numpy as np

from .registry import converts
from .util import INT64_MAX, INT64_MIN, as_out, norm_axes


def _target(e, node, x) -> str:
    """The target shape of reshape/broadcast_to: the ``like`` input's, or the attr."""
    if len(x) > 1:
        return e.op("Shape", x[1])
    return e.ints(node.attrs["shape"])


@converts("reshape", onnx="Reshape (Shape of the like input)")
def _reshape(e, node, x):
    shape = node.attrs.get("shape")
    # ONNX reads a 0 in the shape as "copy this dim" unless allowzero is set: NumPy's 0 is 0.
    zero = 1 if len(x) == 1 and shape is not None and 0 in shape else None
    return e.op("Reshape", x[0], _target(e, node, x), allowzero=zero)


@converts("transpose", onnx="Transpose")
def _transpose(e, node, x):
    axes = node.attrs.get("axes")
    perm = tuple(reversed(range(node.inputs[0].ndim))) if axes is None else \
        tuple(int(a) % node.inputs[0].ndim for a in axes)
    return e.op("Transpose", x[0], perm=perm)


@converts("expand_dims", onnx="Unsqueeze")
def _expand_dims(e, node, x):
    axes = norm_axes(node.attrs["axis"], node.ndim)
    return e.op("Unsqueeze", x[0], e.ints(axes))


@converts("squeeze", onnx="Squeeze")
def _squeeze(e, node, x):
    src = node.inputs[0].aval.shape
    axes = norm_axes(node.attrs.get("axis"), len(src))
    if axes is None:
        axes = tuple(i for i, d in enumerate(src) if d == 1)
    return e.op("Squeeze", x[0], e.ints(axes)) if axes else x[0]


@converts("broadcast_to", onnx="Expand")
def _broadcast_to(e, node, x):
    return e.op("Expand", x[0], _target(e, node, x))


@converts("sum_to", onnx="ReduceSum (keepdims), Squeeze")
def _sum_to(e, node, x):
    g, out = node.inputs[0].aval.shape, node.aval.shape
    lead = len(g) - len(out)
    # Summing over a dim of size 1 changes nothing, so every dim the target has as 1 is
    # reduced: right whether or not the (possibly unknown) dim of g is 1 at run time.
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(out) if d == 1)
    if not axes:
        return x[0]
    v = e.op("ReduceSum", x[0], e.ints(axes), keepdims=1)
    return e.op("Squeeze", v, e.ints(range(lead))) if lead else v


@converts("dim_size", onnx="Shape, Squeeze")
def _dim_size(e, node, x):
    axis = int(node.attrs["axis"]) % node.inputs[0].ndim
    return e.op("Squeeze", e.shape_dim(x[0], axis), e.ints([0]))


def _size_expr(e, node, x, expr) -> str:
    """One entry of a size template as a 1-element int64 tensor."""
    if isinstance(expr, int):
        return e.ints([expr])
    if expr[0] == "dim":
        src = node.inputs[expr[1]]
        axis = expr[2] % src.ndim
        d = src.aval.shape[axis]
        return e.ints([d]) if d is not None else e.shape_dim(x[expr[1]], axis)
    if expr[0] == "neg":
        return e.op("Neg", _size_expr(e, node, x, expr[1]))
    a, b = (_size_expr(e, node, x, v) for v in expr[1:])
    if expr[0] == "mod":
        return e.op("Mod", a, b, fmod=0)
    return e.op({"add": "Add", "sub": "Sub", "mul": "Mul", "floordiv": "Div"}[expr[0]], a, b)


def _template(e, node, x) -> str:
    return e.op("Concat", *(_size_expr(e, node, x, d) for d in node.attrs["dims"]), axis=0)


@converts("reshape_dims", onnx="Shape, Concat (+ Add/Sub/Mul/Div/Mod/Neg on sizes), Reshape")
def _reshape_dims(e, node, x):
    return e.op("Reshape", x[0], _template(e, node, x))


@converts("broadcast_dims", onnx="Shape, Concat (+ size arithmetic), Expand")
def _broadcast_dims(e, node, x):
    return e.op("Expand", x[0], _template(e, node, x))


def _scalar_size(e, node, x, expr) -> str:
    """A size expression as a 0-d int64 tensor (Range takes scalars)."""
    return e.op("Squeeze", _size_expr(e, node, x, expr), e.ints([0]))


@converts("arange_dims", onnx="Range over sizes (Shape, size arithmetic), Cast")
def _arange_dims(e, node, x):
    bounds = (_scalar_size(e, node, x, node.attrs[k]) for k in ("start", "end", "step"))
    out = e.op("Range", *bounds)
    dtype = np.dtype(node.aval.dtype)
    return out if dtype == np.int64 else e.cast(out, np.int64, dtype)


@converts("slice_dims", onnx="Slice (bounds from Shape and size arithmetic)")
def _slice_dims(e, node, x):
    starts, ends, axes, steps = [], [], [], []
    for axis, start, stop, step in node.attrs["bounds"]:
        if step is not None and not isinstance(step, int):
            raise NotImplementedError("slice_dims: a step known only at run time")
        forward = step is None or step > 0
        default_start, default_stop = (0, INT64_MAX) if forward else (INT64_MAX, INT64_MIN)
        starts.append(_size_expr(e, node, x, default_start if start is None else start))
        ends.append(_size_expr(e, node, x, default_stop if stop is None else stop))
        axes.append(axis % node.ndim)
        steps.append(1 if step is None else step)
    if not axes:
        return e.op("Identity", x[0])
    return e.op("Slice", x[0], e.op("Concat", *starts, axis=0), e.op("Concat", *ends, axis=0),
                e.ints(axes), e.ints(steps))


@converts("concat", onnx="Concat")
def _concat(e, node, x):
    return e.op("Concat", *as_out(e, node, x), axis=int(node.attrs.get("axis", 0)))


@converts("stack", onnx="Unsqueeze, Concat")
def _stack(e, node, x):
    axis = int(node.attrs.get("axis", 0)) % node.ndim
    parts = [e.op("Unsqueeze", v, e.ints([axis])) for v in as_out(e, node, x)]
    return e.op("Concat", *parts, axis=axis)


@converts("pad", onnx="Pad (constant mode)")
def _pad(e, node, x):
    ndim = node.inputs[0].ndim
    widths = np.broadcast_to(np.asarray(node.attrs["pad_width"], np.int64), (ndim, 2))
    pads = list(widths[:, 0]) + list(widths[:, 1])
    value = e.const(node.attrs.get("value", 0.0), node.aval.dtype)
    return e.op("Pad", x[0], e.ints(pads), value, mode="constant")


@converts("flip", onnx="Slice (step -1)")
def _flip(e, node, x):
    axes = norm_axes(node.attrs["dims"], node.ndim)
    if not axes or node.ndim == 0:
        return x[0]
    k = len(axes)
    return e.op("Slice", x[0], e.ints([-1] * k), e.ints([INT64_MIN] * k), e.ints(axes),
                e.ints([-1] * k))


@converts("roll", onnx="Slice, Concat (Shape, Mod, Sub for a dim unknown when built; "
          "Reshape first without dims)")
def _roll(e, node, x):
    shifts = node.attrs["shifts"]
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = node.attrs.get("dims")
    v, shape = x[0], node.inputs[0].aval.shape
    if dims is None:  # torch: roll the flattened tensor, then restore the shape
        v = e.op("Reshape", v, e.ints([-1]))
        shape, dims = ((None if None in shape else int(np.prod(shape))),), (0,)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    for s, d in zip(shifts, dims, strict=True):
        d %= len(shape)
        n = shape[d]
        if n is not None:  # the split point is a constant
            if not n or not s % n:
                continue
            cut = e.ints([n - s % n])
        else:  # n - (s mod n), computed when the model runs
            size = e.shape_dim(v, d)
            divisor = e.op("Max", size, e.ints([1]))  # an empty dim: nothing moves, no mod 0
            cut = e.op("Sub", size, e.op("Mod", e.ints([s]), divisor, fmod=0))
        tail = e.op("Slice", v, cut, e.ints([INT64_MAX]), e.ints([d]))
        head = e.op("Slice", v, e.ints([0]), cut, e.ints([d]))
        v = e.op("Concat", tail, head, axis=d)
    if node.attrs.get("dims") is None:
        v = e.op("Reshape", v, e.op("Shape", x[0]))
    return v


@converts("tile", onnx="Tile (Unsqueeze first when reps are longer)")
def _tile(e, node, x):
    reps = node.attrs["reps"]
    reps = [reps] if isinstance(reps, int) else list(reps)
    v, ndim = x[0], node.inputs[0].ndim
    if len(reps) > ndim:
        v = e.op("Unsqueeze", v, e.ints(range(len(reps) - ndim)))
    reps = [1] * (ndim - len(reps)) + reps
    return e.op("Tile", v, e.ints(reps))


@converts("tril", "triu", onnx="Trilu")
def _trilu(e, node, x):
    k = e.const(int(node.attrs.get("diagonal", 0)), np.int64)
    return e.op("Trilu", x[0], k, upper=int(node.op == "triu"))


@converts("full_like", onnx="Shape, ConstantOfShape")
def _full_like(e, node, x):
    value = e.tensor(np.asarray([node.attrs.get("fill_value", 0)], node.aval.dtype))
    return e.op("ConstantOfShape", e.op("Shape", x[0]), value=value)
