"""Test cases of the core ops (elementwise, reductions, linalg, shape, indexing), walked by
``test_registry_walk.py``: NumPy reference, torch oracle, finite-difference gradients.

Differentiable inputs are float64 and kept away from kinks (relu at 0, abs at 0, clip at its
bounds) where finite differences and the defined gradient differ. Ties that are kept on
purpose (maximum, max with two equal maxima) check the even-split convention: the central
difference at a two-way tie is exactly 1/2.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(1234)


r = uniform_data(rng)


def pos(*shape):
    return r(*shape, lo=0.5, hi=2.0)


def away(*shape):
    """Values in +-[0.2, 1]: no element near 0."""
    return r(*shape, lo=0.2, hi=1.0) * rng.choice([-1.0, 1.0], size=shape)


def _t(name):
    """torch_fn calling ``torch.<name>`` on the same positional inputs (Python floats as
    float64 tensors: torch.maximum and friends take tensors only)."""

    def fn(torch, *args, **kw):
        args = [torch.tensor(a, dtype=torch.float64) if type(a) is float else a for a in args]
        return getattr(torch, name)(*args, **kw)

    return fn


CASES: list[OpCase] = []
case = case_collector(CASES)


# --- elementwise arithmetic ------------------------------------------------------------------
for name, npf, tname in [("add", np.add, "add"), ("sub", np.subtract, "sub"),
                         ("mul", np.multiply, "mul"), ("maximum", np.maximum, "maximum"),
                         ("minimum", np.minimum, "minimum")]:
    case(name, r(3, 4), r(4), ref=npf, torch_fn=_t(tname), id="broadcast-row")
    case(name, r(2, 1, 3), r(4, 1), ref=npf, torch_fn=_t(tname), id="broadcast-both")
    case(name, r(3), 0.25, ref=npf, torch_fn=_t(tname), id="scalar")
case("maximum", np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0]), ref=np.maximum,
     torch_fn=_t("maximum"), id="ties")
case("minimum", np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0]), ref=np.minimum,
     torch_fn=_t("minimum"), id="ties")
case("div", r(3, 4), away(4), ref=np.divide, torch_fn=_t("div"), id="broadcast-row")
case("div", np.array([1, 2, 7]), 2, ref=lambda a, b: a / b, grad=False, id="int-true-division")
case("neg", r(2, 3), ref=np.negative, torch_fn=_t("neg"))
case("pow", pos(3, 4), r(4), ref=np.power, torch_fn=_t("pow"), id="broadcast")
case("pow", r(5), 2.0, ref=np.power, torch_fn=_t("pow"), id="square")
case("pow", np.array([0.0, 1.5]), np.array([2.0, 3.0]), ref=np.power, torch_fn=_t("pow"),
     id="zero-base")
case("cast", r(2, 3), dtype=np.dtype("float64"), ref=lambda a, dtype: a.astype(dtype),
     id="f64")
case("cast", r(2, 3), dtype=np.dtype("float32"), ref=lambda a, dtype: a.astype(dtype),
     grad=False, id="to-f32")
case("cast", np.array([1.7, -2.2]), dtype=np.dtype("int64"), ref=lambda a, dtype: a.astype(dtype),
     grad=False, id="to-int")

# --- elementwise math ------------------------------------------------------------------------
for name, data in [("exp", r(3, 4)), ("log", pos(3, 4)), ("log1p", pos(3, 4)),
                   ("sqrt", pos(3, 4)), ("sin", r(3, 4)), ("cos", r(3, 4)),
                   ("tanh", r(3, 4)), ("abs", away(3, 4)), ("relu", away(3, 4))]:
    case(name, data, ref=getattr(np, name, None) or (lambda a: np.maximum(a, 0)),
         torch_fn=_t(name))
case("sigmoid", np.array([-800.0, -30.0, -1.0, 0.0, 2.0, 40.0]),
     ref=lambda a: 1 / (1 + np.exp(-a)), torch_fn=_t("sigmoid"), id="extremes")
case("sign", np.array([-2.0, 0.0, 3.0]), ref=np.sign, torch_fn=_t("sign"), grad=False)
# The activations' gradient ops, against ATen's own backward kernels.
_sig, _tan = 1 / (1 + np.exp(-r(3, 4) * 3)), np.tanh(r(3, 4) * 2)
case("relu_grad", r(3, 4), np.maximum(away(3, 4), 0), ref=lambda g, o: g * (o > 0),
     torch_fn=lambda torch, g, o: torch.ops.aten.threshold_backward(g, o, 0))
case("sigmoid_grad", r(3, 4), _sig, ref=lambda g, s: g * s * (1 - s),
     torch_fn=lambda torch, g, s: torch.ops.aten.sigmoid_backward(g, s))
case("tanh_grad", r(3, 4), _tan, ref=lambda g, t: g * (1 - t * t),
     torch_fn=lambda torch, g, t: torch.ops.aten.tanh_backward(g, t))
case("tanh_grad", np.array(0.7), np.array(0.3), ref=lambda g, t: g * (1 - t * t), id="0-d")
case("sigmoid_grad", r(3, 4), r(4) * 0.4 + 0.5, ref=lambda g, s: g * s * (1 - s),
     id="broadcast")
case("exp", np.array([1, 2]), ref=lambda a: np.exp(a).astype(np.float32), grad=False,
     id="int-to-f32")
case("clip", r(3, 4) * 2, min=-0.5, max=0.5,
     ref=lambda a, min, max: np.clip(a, min, max),
     torch_fn=lambda torch, a, min, max: torch.clamp(a, min, max))
case("clip", np.array([-3.0, 0.3, 2.0]), min=0.0, ref=lambda a, min: np.maximum(a, min),
     torch_fn=lambda torch, a, min: torch.clamp(a, min=min), id="min-only")
case("stop_gradient", r(3), ref=lambda a: a, grad=False)

# --- comparisons and selection ---------------------------------------------------------------
ints = rng.integers(0, 3, size=(3, 4)).astype(np.float64)
for name, npf in [("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
                  ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)]:
    case(name, ints, ints[0], ref=npf, torch_fn=_t(name), grad=False)
case("where", r(3, 4) > 0, r(3, 4), r(4), ref=np.where, torch_fn=_t("where"), id="broadcast")
case("where", r(3) > 0, r(3), 0.0, ref=np.where, torch_fn=_t("where"), id="scalar")

# --- reductions ------------------------------------------------------------------------------
x234 = r(2, 3, 4)
for name, npf in [("sum", np.sum), ("mean", np.mean)]:
    case(name, x234, ref=npf, torch_fn=lambda torch, a, _n=name: getattr(torch, _n)(a),
         id="all")
    case(name, x234, axis=1, ref=npf,
         torch_fn=lambda torch, a, axis, _n=name: getattr(torch, _n)(a, dim=axis), id="axis")
    case(name, x234, axis=(0, 2), keepdims=True, ref=npf,
         torch_fn=lambda torch, a, axis, keepdims, _n=name: getattr(torch, _n)(
             a, dim=axis, keepdim=keepdims), id="axes-keepdims")
case("sum", np.array([[True, False], [True, True]]), axis=0, ref=np.sum, grad=False, id="bool")
case("var", x234, ref=lambda a: np.var(a, ddof=1), torch_fn=lambda torch, a: torch.var(a),
     id="all")
case("var", x234, axis=-1, correction=0, keepdims=True,
     ref=lambda a, axis, correction, keepdims: np.var(a, axis=axis, ddof=correction,
                                                      keepdims=keepdims),
     torch_fn=lambda torch, a, axis, correction, keepdims: torch.var(
         a, dim=axis, correction=correction, keepdim=keepdims), id="axis-biased")
tied = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, -1.0, 0.5, 0.25]])
for name, npf, tname in [("max", np.max, "amax"), ("min", np.min, "amin")]:
    data = tied if name == "max" else -tied
    case(name, data, axis=1, ref=npf,
         torch_fn=lambda torch, a, axis, _n=tname: getattr(torch, _n)(a, dim=axis),
         id="ties")
    case(name, x234, axis=(0, 2), keepdims=True, ref=npf,
         torch_fn=lambda torch, a, axis, keepdims, _n=tname: getattr(torch, _n)(
             a, dim=axis, keepdim=keepdims), id="axes")
    case(name, x234, ref=npf, torch_fn=lambda torch, a, _n=tname: getattr(torch, _n)(a),
         id="all")
for name in ("argmax", "argmin"):
    case(name, x234, axis=1, ref=getattr(np, name),
         torch_fn=lambda torch, a, axis, _n=name: getattr(torch, _n)(a, dim=axis),
         grad=False, id="axis")
    case(name, x234, ref=getattr(np, name), grad=False, id="all")
case("numel", x234, axis=(0, 2), ref=lambda a, axis: np.asarray(8.0), grad=False)


def _lse(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


case("logsumexp", x234, axis=-1, ref=_lse,
     torch_fn=lambda torch, a, axis: torch.logsumexp(a, dim=axis), id="axis")
case("logsumexp", np.array([[1000.0, 999.0], [-1000.0, -1001.0]]), axis=1, keepdims=True,
     ref=_lse, torch_fn=lambda torch, a, axis, keepdims: torch.logsumexp(a, axis, keepdims),
     id="large")

# --- linalg ----------------------------------------------------------------------------------
for a, b, tag in [((3, 4), (4, 2), "2d"), ((2, 1, 3, 4), (5, 4, 2), "batch-broadcast"),
                  ((4,), (4, 2), "vec-mat"), ((3, 4), (4,), "mat-vec"), ((4,), (4,), "dot"),
                  ((4,), (2, 4, 3), "vec-batch"), ((2, 3, 4), (4,), "batch-vec")]:
    case("matmul", r(*a), r(*b), ref=np.matmul, torch_fn=_t("matmul"), id=tag)

# --- shape -----------------------------------------------------------------------------------
case("reshape", x234, shape=(4, -1), ref=lambda a, shape: a.reshape(shape),
     torch_fn=lambda torch, a, shape: a.reshape(shape), id="minus-one")
case("reshape", x234, np.zeros((6, 4)), ref=lambda a, b: a.reshape(b.shape), id="like")
case("transpose", x234, ref=np.transpose, torch_fn=lambda torch, a: a.permute(2, 1, 0),
     id="reverse")
case("transpose", x234, axes=(1, 2, 0), ref=lambda a, axes: a.transpose(axes),
     torch_fn=lambda torch, a, axes: a.permute(axes), id="axes")
case("permute", x234, 2, 0, 1, ref=lambda a, *ax: a.transpose(ax),
     torch_fn=lambda torch, a, *ax: a.permute(*ax))
case("broadcast_to", r(3, 1), shape=(2, 3, 4), ref=lambda a, shape: np.broadcast_to(a, shape),
     torch_fn=lambda torch, a, shape: a.broadcast_to(shape))
case("sum_to", r(2, 3, 4), shape=(3, 1), ref=lambda a, shape: a.sum(0).sum(1, keepdims=True),
     torch_fn=lambda torch, a, shape: a.sum_to_size(shape))
case("sum_to", r(2, 3), np.zeros((1, 3)), ref=lambda a, b: a.sum(0, keepdims=True), id="like")
case("expand_dims", r(2, 3), axis=(0, -1), ref=lambda a, axis: np.expand_dims(a, axis),
     torch_fn=lambda torch, a, axis: a.unsqueeze(0).unsqueeze(-1))
case("squeeze", r(1, 3, 1), ref=np.squeeze, torch_fn=lambda torch, a: a.squeeze(), id="all")
case("squeeze", r(1, 3, 1), axis=-1, ref=lambda a, axis: np.squeeze(a, axis),
     torch_fn=lambda torch, a, axis: a.squeeze(axis), id="axis")
case("concat", [r(2, 3), r(2, 1)], axis=1, ref=lambda s, axis: np.concatenate(s, axis),
     torch_fn=lambda torch, s, axis: torch.cat(s, axis))
case("concat", [r(2, 3), r(1, 3), r(3, 3)], axis=0, ref=lambda s, axis: np.concatenate(s, axis),
     torch_fn=lambda torch, s, axis: torch.cat(s, axis), id="axis0-three")
case("concat_part", r(2, 6), r(2, 3), r(2, 1), r(2, 2), index=1, axis=1,
     ref=lambda g, a, b, c, index, axis: g[:, 3:4])
case("stack", [r(2, 3), r(2, 3), r(2, 3)], axis=1, ref=lambda s, axis: np.stack(s, axis),
     torch_fn=lambda torch, s, axis: torch.stack(s, axis))
case("split", r(2, 6), 3, axis=1, ref=lambda a, n, axis: np.split(a, n, axis),
     torch_fn=lambda torch, a, n, axis: torch.split(a, 2, dim=axis), id="sections")
case("split", r(2, 5), (1, 4), axis=1, ref=lambda a, i, axis: np.split(a, i, axis),
     torch_fn=lambda torch, a, i, axis: torch.split(a, (1, 3, 1), dim=axis), id="indices")
case("pad", r(2, 3), pad_width=((1, 0), (2, 1)), value=0.5,
     ref=lambda a, pad_width, value: np.pad(a, pad_width, constant_values=value),
     torch_fn=lambda torch, a, pad_width, value: torch.nn.functional.pad(
         a, (2, 1, 1, 0), value=value))
case("full_like", r(2, 3), fill_value=3, ref=lambda a, fill_value: np.full_like(a, fill_value),
     grad=False)
case("zeros_like", r(2, 3), ref=np.zeros_like, grad=False)
case("ones_like", r(2, 3), dtype=np.dtype("int64"),
     ref=lambda a, dtype: np.ones_like(a, dtype), grad=False)

# --- indexing --------------------------------------------------------------------------------
x345 = r(3, 4, 5)
keys = {
    "int": 1, "slice": (slice(1, None), slice(None, None, 2)), "neg-step": slice(None, None, -1),
    "newaxis-ellipsis": (None, Ellipsis, 2), "int-array-repeats": np.array([0, 2, 0]),
    "mask": x345[:, :, 0] > 0, "mixed-adjacent": (slice(None), np.array([1, 1]), np.array([0, 4])),
    "mixed-split": (np.array([0, 2]), slice(1, 3), np.array([4, 4])),
    "int-and-array": (2, slice(None), np.array([[0], [3]])),
}


def _torch_getitem(torch, a, key):
    key = key if isinstance(key, tuple) else (key,)
    return a[tuple(torch.as_tensor(i) if isinstance(i, np.ndarray) else i for i in key)]


for tag, key in keys.items():
    # torch refuses negative slice steps, and drops an int's dim before placing advanced
    # indices (x[2, :, idx] is (4, 2, 1) there, (2, 1, 4) in NumPy). We follow NumPy.
    case("getitem", x345, key, ref=lambda a, k: a[k],
         torch_fn=None if tag in ("neg-step", "int-and-array") else _torch_getitem, id=tag)
case("index", x345, np.array([2, 0, 2]),
     key=(("slice", None, None, None), ("arr", 0)), ref=lambda a, i, key: a[:, i])
case("index_add", r(4, 3), r(3, 3), np.array([1, 1, 3]), key=(("arr", 0),),
     ref=lambda a, v, i, key: a + np.array([np.zeros(3), v[0] + v[1], np.zeros(3), v[2]]))
case("add_at", r(4, 3), (np.array([0, 0]), slice(1, None)), r(2),
     ref=lambda a, k, v: a + np.array([[0, 2 * v[0], 2 * v[1]], [0] * 3, [0] * 3, [0] * 3]),
     id="repeats-broadcast")
idx = np.array([[2, 0], [1, 1], [0, 2]])
case("take_along_axis", r(3, 4), idx, axis=1,
     ref=lambda a, i, axis: np.take_along_axis(a, i, axis),
     torch_fn=lambda torch, a, i, axis: torch.gather(a, axis, i))
case("scatter_add", r(3, 4), idx, r(3, 2), axis=1,
     ref=lambda b, i, v, axis: b + sum(np.eye(4)[i[:, k]] * v[:, k:k + 1] for k in range(2)),
     torch_fn=lambda torch, b, i, v, axis: torch.scatter_add(b, axis, i, v))
case("one_hot", np.array([[0, 3], [2, 1]]), num_classes=4,
     ref=lambda i, num_classes: np.eye(num_classes, dtype=np.float32)[i], grad=False)

# --- more corners: negative axes, keepdims, int inputs, int pad widths -----------------------
case("argmax", x234, axis=-1, keepdims=True, ref=lambda a, axis, keepdims: np.argmax(
    a, axis=axis, keepdims=keepdims), torch_fn=lambda torch, a, axis, keepdims: torch.argmax(
    a, dim=axis, keepdim=keepdims), grad=False, id="keepdims")
case("sum", x234, axis=-1, keepdims=True, ref=np.sum,
     torch_fn=lambda torch, a, axis, keepdims: a.sum(axis, keepdim=keepdims), id="neg-axis")
case("matmul", np.arange(6).reshape(2, 3), np.arange(3), ref=np.matmul, torch_fn=_t("matmul"),
     grad=False, id="int")
case("pad", r(2, 3), pad_width=1, ref=lambda a, pad_width: np.pad(a, pad_width),
     torch_fn=lambda torch, a, pad_width: torch.nn.functional.pad(a, (1, 1, 1, 1)), id="int-width")
case("transpose", x234, axes=(-1, 0, 1), ref=lambda a, axes: a.transpose(axes),
     torch_fn=lambda torch, a, axes: a.permute(axes), id="neg-axes")
case("getitem", x345, (-1, Ellipsis, slice(None, None, -2)), ref=lambda a, k: a[k],
     id="neg-int-ellipsis-step")
case("where", r(3) > 0, np.array([1, 2, 3]), np.array([-1, -2, -3]), ref=np.where,
     torch_fn=_t("where"), grad=False, id="int")
