"""Shape primitives: sum_to / broadcast_to, reshape, transpose (and the permute composite),
expand_dims, squeeze. Joining and padding (concat, stack, split, pad) live in `shape_join`.

Ops that take a target shape accept it either as the ``shape=`` attr or, when some dim is only
known at run time (a static placeholder's batch size), from a second ``like`` input whose
runtime shape is used: ``sum_to(g, shape=(5,))`` or ``sum_to(g, x)``.
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axes, normalize_axis
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import broadcasts_to, retargeted, shape_of, target_shape
from ._types import Value


def _like_or_shape(x):
    """Arguments that carry ``x``'s shape: the ``shape=`` attr when fully known, else ``x``."""
    xs = shape_of(x)
    return ((), {"shape": xs}) if None not in xs else ((x,), {})


def _back_to_input_shape(op, g, inputs) -> tuple:
    """The gradients of a shape-taking op: ``op(g)`` to input 0's shape for input 0, none for a
    ``like`` input (sum_to and broadcast_to are each other's adjoint, reshape its own)."""
    like, attrs = _like_or_shape(inputs[0])
    return (op(g, *like, **attrs),) + (None,) * (len(inputs) - 1)


def _reshape_into(w):
    """reshape, squeeze, expand_dims: once shapes are known, each is a reshape (a view)."""
    return w.call(np.ndarray.reshape, w.arg(0), tuple(w.out_aval.shape))


# --- sum_to: primitive; reduces a broadcast value back to a shape (broadcast_to's adjoint) -
def _sum_to_kernel(g, *like, shape=None):
    shape = target_shape(like, shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(shape) if d == 1 and g.shape[lead + i] != 1)
    out = g.sum(axis=axes, keepdims=True) if axes else g
    return out.reshape(shape) if lead else out


def _sum_to_rule(g: Aval, *like: Aval, shape=None) -> Aval:
    shape = target_shape(like, shape)
    return retargeted("sum_to", "reduce", g, shape, broadcasts_to(shape, g.shape))


def _sum_to_vjp(g, inputs, out, shape=None):
    return _back_to_input_shape(broadcast_to, g, inputs)


def _sum_to_into(w):
    gshape, shape = tuple(w.in_avals[0].shape), tuple(w.out_aval.shape)
    if gshape == shape:
        return w.arg(0)  # nothing to sum: the kernel returns g itself too
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and gshape[lead + i] != 1)
    kept = tuple(d for i, d in enumerate(shape) if lead + i not in axes)
    w.call(np.add.reduce, w.arg(0), axes, out=w.view(w.out, kept))
    return w.out


sum_to = primitive("sum_to", _sum_to_kernel, _sum_to_rule, _sum_to_vjp, nondiff_inputs=(1,),
                   into=_sum_to_into, linear_in=(0,), torch_name="SumBackward1",
                   doc="g summed down to ``shape`` (or ``like``'s shape): broadcast_to's adjoint.")


# --- broadcast_to: primitive -------------------------------------------------------------------
def _broadcast_to_kernel(x, *like, shape=None):
    shape = target_shape(like, shape)
    if x.size == 1 and x.ndim <= len(shape) and x.flags.c_contiguous:
        # One value everywhere (the gradient of every full reduction): a stride-0 view of it,
        # 2.5x faster than np.broadcast_to, read-only like NumPy's broadcast views.
        view = np.ndarray(shape, x.dtype, buffer=x, strides=(0,) * len(shape))
        view.flags.writeable = False
        return view
    return np.broadcast_to(x, shape)


def _broadcast_to_rule(x: Aval, *like: Aval, shape=None) -> Aval:
    shape = target_shape(like, shape)
    return retargeted("broadcast_to", "broadcast", x, shape, broadcasts_to(x.shape, shape))


def _broadcast_to_vjp(g, inputs, out, shape=None):
    return _back_to_input_shape(sum_to, g, inputs)


def _broadcast_to_into(w):
    return w.call(np.broadcast_to, w.arg(0), tuple(w.out_aval.shape))


broadcast_to = primitive("broadcast_to", _broadcast_to_kernel, _broadcast_to_rule,
                         _broadcast_to_vjp, nondiff_inputs=(1,), view=True,
                         into=_broadcast_to_into, linear_in=(0,), torch_name="ExpandBackward0",
                         doc="x broadcast to ``shape`` (or ``like``'s shape), as a view.")



# --- reshape: primitive ------------------------------------------------------------------------
def _reshape_kernel(x, *like, shape=None):
    return x.reshape(target_shape(like, shape))


def _reshape_rule(x: Aval, *like: Aval, shape=None) -> Aval:
    shape = tuple(target_shape(like, shape))
    if sum(1 for d in shape if d == -1) > 1:
        raise OpValueError("reshape", f"at most one -1 in the target shape, got {shape}")
    if any(d is not None and d < -1 for d in shape):
        raise OpValueError("reshape", f"negative size in the target shape {shape}")
    size, known = x.size(), [d for d in shape if d not in (-1, None)]
    prod = 1
    for d in known:
        prod *= d
    bad = False
    if size is not None and None not in shape:
        if -1 in shape:
            bad = prod == 0 or size % prod != 0
            shape = tuple(size // prod if d == -1 else d for d in shape) if not bad else shape
        else:
            bad = prod != size
    if bad:
        raise ShapeError("reshape", f"cannot reshape {describe_shapes(x.shape)} (size {size}) "
                         f"into {describe_shapes(shape)}", shapes=[x.shape, shape])
    return Aval(tuple(None if d == -1 else d for d in shape), x.dtype)


def _reshape_vjp(g, inputs, out, shape=None):
    return _back_to_input_shape(reshape, g, inputs)


reshape = primitive("reshape", _reshape_kernel, _reshape_rule, _reshape_vjp, nondiff_inputs=(1,),
                    view=True, into=_reshape_into, linear_in=(0,), torch_name="ViewBackward0",
                    doc="x with a new ``shape`` (one -1 inferred) or ``like``'s shape.")


# --- transpose: primitive (permute: composite alias) ------------------------------------------
def _perm(x_ndim: int, axes) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(x_ndim - 1, -1, -1))
    perm = tuple(normalize_axis("transpose", int(a), x_ndim) for a in axes)
    if len(perm) != x_ndim or sorted(perm) != list(range(x_ndim)):
        raise OpValueError("transpose", f"axes {tuple(axes)} are not a permutation of "
                           f"{x_ndim} dims")
    return perm


def _transpose_kernel(x, axes=None):
    return x.transpose(axes)


def _transpose_rule(x: Aval, axes=None) -> Aval:
    return Aval(tuple(x.shape[p] for p in _perm(x.ndim, axes)), x.dtype)


def _transpose_vjp(g, inputs, out, axes=None):
    perm = _perm(len(shape_of(inputs[0])), axes)
    inverse = tuple(sorted(range(len(perm)), key=perm.__getitem__))
    return (transpose(g, axes=inverse),)


def _transpose_into(w):
    axes, n = w.attrs.get("axes"), len(w.in_avals[0].shape)
    if axes is None or tuple(a % n for a in axes) == tuple(range(n - 1, -1, -1)):
        return w.call(np.ndarray.transpose, w.arg(0))  # reversed: no axes to pass
    return w.call(np.ndarray.transpose, w.arg(0), tuple(int(a) for a in axes))


def _transpose_torch_name(attrs, ndims, constants) -> str:
    axes = attrs.get("axes")
    if axes is None:
        return "PermuteBackward0" if ndims[0] > 2 else "TransposeBackward0"
    moved = [i for i, a in enumerate(axes) if i != a]
    return "TransposeBackward0" if len(moved) == 2 else "PermuteBackward0"


transpose = primitive("transpose", _transpose_kernel, _transpose_rule, _transpose_vjp,
                      view=True, into=_transpose_into, linear_in=(0,),
                      torch_name=_transpose_torch_name,
                      doc="x with its axes permuted by ``axes`` (None: reversed).")


@composite(torch_name="PermuteBackward0")  # (whatever the axes: PyTorch names it by the call)
def permute(x: Value, *axes) -> Value:
    """``torch.permute``: ``permute(x, 2, 0, 1)`` or ``permute(x, (2, 0, 1))``."""
    if len(axes) == 1 and not isinstance(axes[0], int | np.integer):
        axes = axes[0]
    return transpose(x, axes=tuple(int(a) for a in axes))


# --- expand_dims / squeeze: primitives (each the other's gradient) ---------------------------
def _as_tuple(axis) -> tuple:
    return (axis,) if isinstance(axis, int | np.integer) else tuple(axis)


def _expand_axes(ndim: int, axis) -> tuple[int, ...]:
    return normalize_axes("expand_dims", axis, ndim + len(_as_tuple(axis)))


def _expand_dims_kernel(x, axis):
    # A reshape: np.expand_dims is Python code that costs 10x a reshape on small arrays.
    axes = (axis,) if type(axis) is int else tuple(axis)
    n = x.ndim + len(axes)
    at = {a % n for a in axes if -n <= a < n}
    if len(at) != len(axes):  # out of range or repeated: NumPy raises, the rule explains
        return np.expand_dims(x, axis)
    dims = iter(x.shape)
    return x.reshape(tuple([1 if i in at else next(dims) for i in range(n)]))


def _expand_dims_rule(x: Aval, axis) -> Aval:
    axes = _expand_axes(x.ndim, axis)
    dims = iter(x.shape)
    return Aval(tuple(1 if i in axes else next(dims) for i in range(x.ndim + len(axes))),
                x.dtype)


def _expand_dims_vjp(g, inputs, out, axis):
    return (squeeze(g, axis=_expand_axes(len(shape_of(inputs[0])), axis)),)


expand_dims = primitive("expand_dims", _expand_dims_kernel, _expand_dims_rule, _expand_dims_vjp,
                        view=True, into=_reshape_into, linear_in=(0,),
                        torch_name="UnsqueezeBackward0",
                        doc="x with size-1 axes inserted at ``axis`` (an int or a tuple).")


def _squeeze_axes(shape: tuple, axis) -> tuple[int, ...]:
    """Axes to drop; with ``axis=None`` every dim of size 1, which needs every dim known."""
    if axis is None:
        if None in shape:
            # An unknown dim may turn out to be 1 at run time: the graph would disagree
            # with the data about the output's rank.
            raise ShapeError("squeeze", f"axis=None needs known dims, got "
                             f"{describe_shapes(shape)}: name the axes to squeeze",
                             shapes=[shape])
        return tuple(i for i, d in enumerate(shape) if d == 1)
    axes = normalize_axes("squeeze", axis, len(shape))
    for a in axes:
        if shape[a] not in (1, None):
            raise ShapeError("squeeze", f"cannot squeeze axis {a} of size {shape[a]} in shape "
                             f"{describe_shapes(shape)}", shapes=[shape])
    return axes


def _squeeze_kernel(x, axis=None):
    return x.squeeze(_squeeze_axes(x.shape, axis))


def _squeeze_rule(x: Aval, axis=None) -> Aval:
    axes = _squeeze_axes(x.shape, axis)
    return Aval(tuple(d for i, d in enumerate(x.shape) if i not in axes), x.dtype)


def _squeeze_vjp(g, inputs, out, axis=None):
    axes = _squeeze_axes(shape_of(inputs[0]), axis)
    return (expand_dims(g, axis=axes) if axes else g,)


def _squeeze_torch_name(attrs, ndims, constants) -> str:
    return "SqueezeBackward0" if attrs.get("axis") is None else "SqueezeBackward1"


squeeze = primitive("squeeze", _squeeze_kernel, _squeeze_rule, _squeeze_vjp,
                    view=True, into=_reshape_into, linear_in=(0,),
                    torch_name=_squeeze_torch_name,
                    doc="x without its size-1 axes ``axis`` (None: all of them; needs known dims).")

__all__ = ["sum_to", "broadcast_to", "reshape", "transpose", "permute", "expand_dims", "squeeze"]
