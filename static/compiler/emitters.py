"""How each op becomes one line of generated NumPy: the emitter table of `codegen`.

An emitter turns a node into a Python statement assigning its value to ``target``, given the
expressions of its inputs, the buffer it may write into (``out``, None when it has none) and
the node's concrete input/output avals. The ufunc ops (`UFUNCS`) and a few more (matmul, sum,
sum_to, cast, relu, sigmoid, where, the activation gradients and the fused linear_act, add_n)
compute into a preallocated buffer (``np.add(a, b, out=buf)``), so a planned step allocates
nothing for them; view ops return views; the fused losses have their own module
(`emit_losses`); every other op calls its shared_ops kernel (allocating, always right).

The names the statements use (``_add``, ``_matmul``...) are bound once as closure locals of
the generated step function: no attribute lookups or dispatch per statement. So are scalar
operands, as 0-d arrays of the right dtype (``_maximum(h, f32_0, out=_b0)``): a Python ``0``
costs every ufunc call ~0.8 us of conversion, on a small model a third of the call. Where an
operand's array is known (``homes``), elementwise calls, bias adds and bias gradients take
the cheaper layouts of `emit_layouts` (0-d and flat views made once, ``ones @ g``).
"""

from __future__ import annotations

import numpy as np

import shared_ops

from ..graph import Node
from . import emit_layouts
from .source_text import literal

# Elementwise ops that are one NumPy ufunc: name -> (local name, ufunc).
UFUNCS: dict[str, tuple[str, np.ufunc]] = {
    "add": ("_add", np.add), "sub": ("_subtract", np.subtract),
    "mul": ("_multiply", np.multiply), "div": ("_divide", np.true_divide),
    "neg": ("_negative", np.negative), "exp": ("_exp", np.exp), "log": ("_log", np.log),
    "log1p": ("_log1p", np.log1p), "sqrt": ("_sqrt", np.sqrt), "sin": ("_sin", np.sin),
    "cos": ("_cos", np.cos), "tanh": ("_tanh", np.tanh), "abs": ("_absolute", np.absolute),
    "sign": ("_sign", np.sign), "pow": ("_power", np.power), "maximum": ("_maximum", np.maximum),
    "minimum": ("_minimum", np.minimum), "eq": ("_equal", np.equal),
    "ne": ("_not_equal", np.not_equal), "lt": ("_less", np.less),
    "le": ("_less_equal", np.less_equal), "gt": ("_greater", np.greater),
    "ge": ("_greater_equal", np.greater_equal),
}

# Helpers every generated step may use.
HELPERS: dict[str, object] = {
    "_matmul": np.matmul, "_sum": np.sum, "_copyto": np.copyto, "_asarray": np.asarray,
    "_reciprocal": np.reciprocal, "_broadcast_to": np.broadcast_to,
    "_expand_dims": np.expand_dims, "_empty": np.empty,
    # NOTE: np.add.reduce is np.sum without its Python wrapper (2 us less a call on small
    # arrays); np.dot is np.matmul for 2-d operands without the gufunc machinery (0.5 us).
    "_add_reduce": np.add.reduce, "_dot": np.dot,
    **{local: fn for local, fn in UFUNCS.values()},
}

VIEW_OPS = frozenset({"reshape", "transpose", "expand_dims", "squeeze", "broadcast_to"})
# Ops with an out= form below (besides the ufuncs); their results live in planned buffers.
_OUT_SPECIAL = frozenset({"relu", "matmul", "sum", "sum_to", "cast", "sigmoid", "where",
                          "linear_act", "add_n", "relu_grad", "sigmoid_grad", "tanh_grad"})


def wants_buffer(node: Node, in_avals: list, out_aval) -> bool:
    """True when ``node`` is computed into a preallocated buffer."""
    if None in out_aval.shape:
        return False
    if node.op in UFUNCS:
        return True
    if node.op == "sum":
        return in_avals[0].dtype.kind == "f"
    if node.op == "sum_to":
        return tuple(in_avals[0].shape) != tuple(out_aval.shape)
    if node.op == "cast":
        return in_avals[0].dtype != out_aval.dtype
    return node.op in _OUT_SPECIAL


def inplace_ok(node: Node) -> bool:
    """May ``node`` write over one of its inputs (same shape, dying here)?"""
    if node.op in UFUNCS or node.op in ("relu", "sigmoid", "add_n"):
        op = shared_ops.OPS[node.op]
        return bool(getattr(op, "inplace_safe", False)) or node.op == "add_n"
    return False


def fresh(node: Node) -> bool:
    """Does the op's kernel always return a new array (never a view of an input)?"""
    return node.op in UFUNCS or node.op in _FRESH


_FRESH = frozenset({"matmul", "logsumexp", "nll_loss", "nll_loss_grad", "softmax_cross_entropy",
                    "sigmoid_bce", "softmax_cross_entropy_grad", "full_like", "linear_act",
                    "add_n", "relu", "sigmoid", "where", "sum", "numel",
                    "fused_log_softmax", "relu_grad", "sigmoid_grad", "tanh_grad"})


def view_of(node: Node, value: np.ndarray, out_aval) -> np.ndarray:
    """The view op ``node`` applied to ``value`` now (for views of variables, made once)."""
    if node.op == "transpose":
        return value.transpose(node.attrs.get("axes"))
    if node.op == "broadcast_to":
        return np.broadcast_to(value, tuple(out_aval.shape))
    if node.op == "expand_dims":
        return np.expand_dims(value, node.attrs["axis"])
    return value.reshape(tuple(out_aval.shape))  # reshape, squeeze


def emit(node: Node, target: str, args: list[str], out: str | None, in_avals: list,
         out_aval, bind, homes: list | None = None) -> str:
    """The statement computing ``node`` into ``target``. ``bind(value, hint)`` makes a
    closure constant and returns its name (for attrs, shapes, extra views of buffers).
    ``homes``: per input, the bound name of the C-contiguous array that holds it (a planned
    buffer, a variable, a constant) or None; with them, `emit_layouts` may call NumPy on
    views of cheaper shapes."""
    op, a = node.op, node.attrs
    if out is not None:
        return _emit_out(node, target, args, out, in_avals, out_aval, bind, homes)
    if op == "reshape":
        return f"{target} = {args[0]}.reshape({literal(tuple(out_aval.shape))})"
    if op == "transpose":
        axes = a.get("axes")
        if axes is None or tuple(axes) == tuple(range(len(in_avals[0].shape) - 1, -1, -1)):
            return f"{target} = {args[0]}.T"  # the attribute is cheaper than the call
        return f"{target} = {args[0]}.transpose({literal(axes)})"
    if op == "expand_dims":
        return f"{target} = _expand_dims({args[0]}, {literal(a['axis'])})"
    if op == "squeeze":
        return f"{target} = {args[0]}.reshape({literal(tuple(out_aval.shape))})"
    if op == "broadcast_to":
        return f"{target} = _broadcast_to({args[0]}, {literal(tuple(out_aval.shape))})"
    if op in UFUNCS or op == "matmul" or op == "linear_act":  # fetched: a fresh array
        fn = UFUNCS[op][0] if op in UFUNCS else _matmul_fn(in_avals, out_aval)
        call = f"{fn}({', '.join(args[:2] if op == 'linear_act' else args)})"
        if not out_aval.shape:
            return f"{target} = _asarray({call})"  # 0-d ufunc results are NumPy scalars
        if op != "linear_act":
            return f"{target} = {call}"
        line = f"{target} = {call}; _add({target}, {args[2]}, out={target})"
        if a.get("activation", "relu") == "relu":
            line += f"; _maximum({target}, {scalar(bind, 0, out_aval.dtype)}, out={target})"
        return line
    if op == "stop_gradient" or (op in ("sum_to", "cast") and in_avals[0] == out_aval
                                 and None not in out_aval.shape):
        return f"{target} = {args[0]}"  # nothing to do: same shape and dtype
    if op == "numel" and None not in in_avals[0].shape:  # a constant once shapes are known
        n = int(np.prod([in_avals[0].shape[i] for i in _axes(a.get("axis"), in_avals[0].ndim)]))
        return f"{target} = {bind(np.asarray(n, dtype=out_aval.dtype), 'numel')}"
    known = shared_ops.OPS.get(op)
    if known is None or not known.primitive:
        raise ValueError(f"compile: no code for op {op!r} of node %{node.name}: it is not a "
                         "shared_ops primitive (a static-only op the code generator does not "
                         "know); run this graph with a Session's interpreter")
    kernel = bind(known.kernel, f"k_{op}")
    kw = ""
    if a:
        kw = ", **" + bind(dict(a), f"a_{target}")
    return f"{target} = _asarray({kernel}({', '.join(args)}{kw}))"


def scalar(bind, value, dtype) -> str:
    """The name of a 0-d array ``value`` of ``dtype``, bound once per step: a Python scalar
    operand costs a ufunc ~0.8 us of conversion on every call, a 0-d array of the right dtype
    nothing."""
    return bind(("scalar", value, np.dtype(dtype)), "")


def _matmul_fn(in_avals, out_aval) -> str:
    """``_dot`` for small 2-d products of the output's dtype (its ``out=`` must be
    C-contiguous of exactly that dtype, which planned buffers are): 0.5 us less per call.
    NOTE: on large products np.dot measured ~1% slower than np.matmul (W3 of
    benchmarks/bench_static.py), so those keep matmul."""
    if all(len(a.shape) == 2 and None not in a.shape and a.dtype == out_aval.dtype
           for a in in_avals[:2]) and out_aval.dtype.kind == "f" and \
            in_avals[0].shape[0] * in_avals[0].shape[1] * in_avals[1].shape[1] <= 1 << 20:
        return "_dot"
    return "_matmul"


_ACTIVATION_GRADS = frozenset({"relu_grad", "sigmoid_grad", "tanh_grad"})
_BOOL_MASK_SIZE = 1 << 14


def bool_masked(node: Node, out_aval) -> bool:
    """Is ``node`` a large ``relu_grad``, computed as ``g * (y > 0)`` with a bool mask in a
    scratch buffer, over ``g`` in place when ``g`` dies here (`emit_bool_masked`)?

    NOTE: on a 512x1024 float32 gradient just made by a matmul, the mask and product took
    280 us this way against 450 us for a float mask in the output buffer (more bytes, and a
    cold buffer); on small arrays a mixed bool/float product costs a microsecond more than a
    float one, so they keep `_emit_activation_grad`'s form."""
    return node.op == "relu_grad" and None not in out_aval.shape and \
        out_aval.dtype.kind == "f" and int(np.prod(out_aval.shape)) >= _BOOL_MASK_SIZE


def emit_bool_masked(target: str, args: list[str], out: str, mask: str, out_aval, bind) -> str:
    """``relu_grad(g, y)`` as ``g * (y > 0)``: the comparison into the bool buffer ``mask``
    first, so ``out`` may be ``g``'s (or ``y``'s) own buffer."""
    g, y = args
    return (f"{target} = _multiply({g}, _greater({y}, {scalar(bind, 0, out_aval.dtype)}, "
            f"out={mask}), out={out})")


def _emit_activation_grad(op, target, args, out, out_aval, bind) -> str:
    """``relu_grad(g, y)``, ``sigmoid_grad(g, y)``, ``tanh_grad(g, y)`` (y: the activation's
    output) in their kernels' order of operations, the derivative built in ``out`` first
    (never an input: these ops do not write in place)."""
    g, y = args
    one = scalar(bind, 1, out_aval.dtype)
    if op == "relu_grad":  # the mask as 0.0/1.0 straight from the comparison, then g * mask
        first = f"_greater({y}, {scalar(bind, 0, out_aval.dtype)}, out={out})"
    elif op == "sigmoid_grad":  # (1 - s) * s
        first = f"_subtract({one}, {y}, out={out}); _multiply({out}, {y}, out={out})"
    else:  # 1 - t * t
        first = f"_multiply({y}, {y}, out={out}); _subtract({one}, {out}, out={out})"
    return f"{first}; {target} = _multiply({g}, {out}, out={out})"


def _is_zero(n: Node) -> bool:
    return n.op == "constant" and n.value.size == 1 and n.value.reshape(()).item() == 0


def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    return tuple(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))


def _emit_out(node, target, args, out, in_avals, out_aval, bind, homes=None) -> str:
    op, a = node.op, node.attrs
    zero_else = op == "where" and _is_zero(node.inputs[2]) and \
        in_avals[1].dtype == out_aval.dtype
    if op in UFUNCS:
        args, into = emit_layouts.ufunc_operands(args, in_avals, out, out_aval, homes, bind)
        call = f"{UFUNCS[op][0]}({', '.join(args)}, out={into})"
        return f"{target} = {call}" if into == out else f"{call}; {target} = {out}"
    if op == "relu":
        return f"{target} = _maximum({args[0]}, {scalar(bind, 0, out_aval.dtype)}, out={out})"
    if op == "matmul":
        return f"{target} = {_matmul_fn(in_avals, out_aval)}({args[0]}, {args[1]}, out={out})"
    if op == "sum":
        keep = ", keepdims=True" if a.get("keepdims", False) else ""
        return f"{target} = _add_reduce({args[0]}, {literal(a.get('axis'))}, None, {out}{keep})"
    if op == "sum_to":
        gshape, shape = tuple(in_avals[0].shape), tuple(out_aval.shape)
        lead = len(gshape) - len(shape)
        axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                          if d == 1 and gshape[lead + i] != 1)
        kept = tuple(d for i, d in enumerate(shape) if lead + i not in axes)
        view = bind(("view", out, kept), f"{out}_v")
        if axes == (0,):  # a bias gradient: a BLAS product where that is cheaper
            dot = emit_layouts.leading_sum(args[0], in_avals[0], view, out_aval, bind)
            if dot is not None:
                return f"{dot}; {target} = {out}"
        return f"_add_reduce({args[0]}, {literal(axes)}, None, {view}); {target} = {out}"
    if op == "cast":
        return f"_copyto({out}, {args[0]}, casting='unsafe'); {target} = {out}"
    if op == "sigmoid":
        # 1 / (1 + exp(-x)) in place: exp overflows to inf for very negative x, and
        # 1 / inf = 0 is the right limit, so no nan and no temporaries.
        return (f"_negative({args[0]}, out={out}); _exp({out}, out={out}); "
                f"_add({out}, {scalar(bind, 1, out_aval.dtype)}, out={out}); "
                f"{target} = _reciprocal({out}, out={out})")
    if op == "where":
        if zero_else:
            # NOTE: where(c, g, 0) as g * c (relu's gradient): 15-20x faster than a masked
            # copy (np.copyto(where=) measured 8-10 ms against 0.5 ms on 512x1024 float32).
            # It differs only where g is inf or nan at a masked-out position (nan, not 0):
            # gradients that are already non-finite.
            return f"{target} = _multiply({args[1]}, {args[0]}, out={out})"
        return (f"_copyto({out}, {args[2]}); _copyto({out}, {args[1]}, where={args[0]}); "
                f"{target} = {out}")
    if op == "linear_act":
        bias, into = emit_layouts.ufunc_operands(
            [out, args[2]], [out_aval, in_avals[2]], out, out_aval,
            None if homes is None else [out, homes[2]], bind)
        line = (f"{_matmul_fn(in_avals, out_aval)}({args[0]}, {args[1]}, out={out}); "
                f"_add({', '.join(bias)}, out={into})")
        if a.get("activation", "relu") == "relu":
            line += f"; _maximum({out}, {scalar(bind, 0, out_aval.dtype)}, out={out})"
        return f"{line}; {target} = {out}"
    if op in _ACTIVATION_GRADS:
        return _emit_activation_grad(op, target, args, out, out_aval, bind)
    if op == "add_n":
        line = f"_add({args[0]}, {args[1]}, out={out})"
        for extra in args[2:]:
            line += f"; _add({out}, {extra}, out={out})"
        return f"{line}; {target} = {out}"
    raise AssertionError(f"no out= emitter for {op}")
