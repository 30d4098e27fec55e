"""Fused losses in generated code: written into planned buffers instead of calling kernels.

The fused loss kernels of shared_ops (``sigmoid_bce``, ``softmax_cross_entropy`` and its
gradient, ``clamped_bce`` and its gradient) allocate their temporaries and reduce: on a small
model they cost more than the rest of the step. Here they become a few ufunc
calls into buffers planned once, with ``scratch`` buffers that live for one statement
(`memory_plan` reuses them across statements):

    _logaddexp(f32_0, z, out=_b4); _multiply(z, y, out=_b5); _subtract(_b4, _b5, out=_b4);
    loss = _asarray(_dot(v_b4_flat, ones_32) / 32.0)

The same arithmetic as the kernels, in the same order (the interpreter gives the same
values), except that a small loss's total is a dot product with ones (`emit_layouts`), which
may round its last bits differently from NumPy's pairwise sum. Softmax cross-entropy has a
cheap path for the common case only: every target a class index, finite logits; anything
else calls the shared_ops kernel, which raises the error naming a bad target or handles
``ignore_index`` and infinities exactly as the interpreter.
"""

from __future__ import annotations

import math

import numpy as np

import shared_ops

from ..graph import Node
from .emit_layouts import flat_total, mean_of
from .emitters import scalar

LOSS_OPS = frozenset({"sigmoid_bce", "softmax_cross_entropy", "softmax_cross_entropy_grad",
                      "clamped_bce", "clamped_bce_grad"})
_ELEMENTWISE = frozenset({"sigmoid_bce", "clamped_bce", "clamped_bce_grad"})


def handles(node: Node, in_avals: list, out_aval) -> bool:
    """Can ``node`` be written with this module's buffers (concrete shapes, plain forms)?"""
    if node.op not in LOSS_OPS or any(None in a.shape for a in [*in_avals, out_aval]):
        return False
    if node.attrs.get("reduction", "mean") not in ("mean", "sum"):
        return False
    # float16: the kernels' ndarray.mean accumulates in float32, our buffers would not.
    if out_aval.dtype not in (np.float32, np.float64):
        return False
    if node.op in _ELEMENTWISE:  # clamped_bce_grad: (g, p, y), g 0-d for a reduced loss
        return in_avals[-2] == in_avals[-1]
    logits = in_avals[1] if node.op == "softmax_cross_entropy_grad" else in_avals[0]
    # An ignore_index that is a class must be skipped row by row: the kernel does that.
    ignored = 0 <= node.attrs.get("ignore_index", -100) < logits.shape[-1]
    return len(logits.shape) == 2 and not ignored


def wants_buffer(node: Node) -> bool:
    """The gradients (arrays) go into planned buffers; the losses are 0-d values."""
    return node.op in ("softmax_cross_entropy_grad", "clamped_bce_grad")


def pair_up(body: list[Node], losses: set[Node], known: set[Node],
            fetched: set[Node]) -> dict[Node, Node]:
    """``softmax_cross_entropy`` node -> its gradient node, to be computed by one statement
    (one ``exp`` pass for both, as a hand-written step shares it), where the gradient's
    cotangent is ``known`` before the step runs (the backward seed) and nobody fetches the
    gradient itself (it lives in a buffer of its own, rewritten every step)."""
    forward = {(n.inputs, tuple(sorted(n.attrs.items()))): n for n in body
               if n.op == "softmax_cross_entropy" and n in losses}
    pairs: dict[Node, Node] = {}
    for n in body:
        if n.op != "softmax_cross_entropy_grad" or n not in losses or n in fetched:
            continue
        loss = forward.get((n.inputs[1:], tuple(sorted(n.attrs.items()))))
        if loss is not None and loss not in pairs and n.inputs[0] in known:
            pairs[loss] = n
    return pairs


def scratch(node: Node, in_avals: list, paired: bool = False) -> list[tuple[tuple, np.dtype]]:
    """The statement-long buffers ``node`` needs: (shape, dtype) each."""
    if node.op in _ELEMENTWISE:
        x = in_avals[-1]
        return [(tuple(x.shape), x.dtype)] * (1 if node.op == "clamped_bce_grad" else 2)
    z = in_avals[1] if node.op == "softmax_cross_entropy_grad" else in_avals[0]
    n = z.shape[0]
    if node.op == "softmax_cross_entropy" and not paired:
        return [(tuple(z.shape), z.dtype), ((n, 1), z.dtype), ((n,), z.dtype)]
    return [((n, 1), z.dtype), ((n, 1), z.dtype)]


def emit(node: Node, target: str, args: list[str], out: str | None, tmp: list[str],
         in_avals: list, out_aval, bind, paired: tuple | None = None) -> str:
    """The statement computing the loss ``node`` (``tmp``: its scratch buffers; ``paired``:
    (gradient node, its local name, its buffer's name) when one statement computes both,
    ``args`` then ending with the gradient's cotangent)."""
    attrs = node.attrs
    reduction = attrs.get("reduction", "mean")
    if node.op == "sigmoid_bce":
        x, y = args
        total = flat_total(tmp[0], in_avals[0], bind) or f"_add_reduce({tmp[0]}, None)"
        if reduction == "mean":
            total = mean_of(total, int(np.prod(in_avals[0].shape)))
        # softplus(x) - x y, as the kernel: logaddexp(0, x) never overflows.
        return (f"_logaddexp({scalar(bind, 0, out_aval.dtype)}, {x}, out={tmp[0]}); "
                f"_multiply({x}, {y}, out={tmp[1]}); "
                f"_subtract({tmp[0]}, {tmp[1]}, out={tmp[0]}); {target} = _asarray({total})")
    if node.op == "clamped_bce":
        return _clamped_bce(target, args, tmp, in_avals, out_aval, bind, reduction)
    if node.op == "clamped_bce_grad":
        return _clamped_bce_grad(target, args, out, tmp, in_avals, out_aval, bind, reduction)
    if paired is not None:  # the loss and its gradient, one statement (see `pair_up`)
        grad, grad_target, grad_buffer = paired
        ks = [bind(shared_ops.OPS[k].kernel, f"k_{k}") for k in (node.op, grad.op)]
        kw = bind(dict(attrs), f"a_{target}")
        rows = bind(np.arange(in_avals[-1].shape[0]), "rows")
        return (f"{target}, {grad_target} = _sce_loss_grad({', '.join(args)}, "
                f"{ks[0]}, {ks[1]}, {kw}, {rows}, {', '.join(tmp)}, {grad_buffer})")
    kernel = bind(shared_ops.OPS[node.op].kernel, f"k_{node.op}")
    rows = bind(np.arange(in_avals[-1].shape[0]), "rows")
    fn = "_sce_loss" if node.op == "softmax_cross_entropy" else "_sce_grad"
    kw = bind(dict(attrs), f"a_{target}")
    call = f"{fn}({', '.join(args)}, {kernel}, {kw}, {rows}, {', '.join(tmp)}"
    if node.op == "softmax_cross_entropy_grad":
        return f"{target} = {call}, out={out})"
    return f"{target} = {call})"


def _clamped_bce(target, args, tmp, in_avals, out_aval, bind, reduction) -> str:
    """``clamped_bce(p, y)`` as its kernel computes it: each log clamped at -100, then
    ``y (log q - log p) - log q``, reduced."""
    p, y = args
    floor = scalar(bind, -100.0, out_aval.dtype)
    total = flat_total(tmp[0], in_avals[0], bind) or f"_add_reduce({tmp[0]}, None)"
    if reduction == "mean":
        total = mean_of(total, int(np.prod(in_avals[0].shape)))
    return (f"_log({p}, out={tmp[0]}); _maximum({tmp[0]}, {floor}, out={tmp[0]}); "
            f"_negative({p}, out={tmp[1]}); _log1p({tmp[1]}, out={tmp[1]}); "
            f"_maximum({tmp[1]}, {floor}, out={tmp[1]}); "
            f"_subtract({tmp[1]}, {tmp[0]}, out={tmp[0]}); "
            f"_multiply({tmp[0]}, {y}, out={tmp[0]}); "
            f"_subtract({tmp[0]}, {tmp[1]}, out={tmp[0]}); {target} = _asarray({total})")


def _clamped_bce_grad(target, args, out, tmp, in_avals, out_aval, bind, reduction) -> str:
    """``clamped_bce_grad(g, p, y)``: PyTorch's ``(p - y) / max(p (1 - p), 1e-12)``, times
    ``g / n`` (mean) or ``g`` (sum), as its kernel computes it."""
    g, p, y = args
    dtype = out_aval.dtype
    scale = f"{g} / {int(np.prod(in_avals[1].shape))}" if reduction == "mean" else g
    return (f"_subtract({scalar(bind, 1, dtype)}, {p}, out={tmp[0]}); "
            f"_multiply({tmp[0]}, {p}, out={tmp[0]}); "
            f"_maximum({tmp[0]}, {scalar(bind, 1e-12, dtype)}, out={tmp[0]}); "
            f"_subtract({p}, {y}, out={out}); _divide({out}, {tmp[0]}, out={out}); "
            f"{target} = _multiply({out}, {scale}, out={out})")


# --- run-time helpers the generated steps call ----------------------------------------------------
def _plain(z: np.ndarray, y: np.ndarray) -> bool:
    """Every row has a valid class (the kernels' own test for their fast path). One
    reduction: seen as unsigned, a negative target is huge, so ``max < C`` tests both ends
    (``y.min()`` and ``y.max()`` cost 7 us together on 128 targets, this 2 us)."""
    if not len(y) or not z.shape[1] or y.dtype.kind not in "iu":
        return False
    unsigned = y.view(y.dtype.str.replace("i", "u")) if y.dtype.kind == "i" else y
    return bool(np.maximum.reduce(unsigned, None) < z.shape[1])


def sce_loss(z, y, kernel, attrs, rows, shifted, rowmax, lse):
    """``softmax_cross_entropy(z, y)`` (reduction mean or sum) into the given buffers:
    ``lse - z[y]`` per row with the row max subtracted first, as the kernel computes it."""
    if not _plain(z, y):
        return np.asarray(kernel(z, y, **attrs))
    np.maximum.reduce(z, 1, None, rowmax, True)
    np.subtract(z, rowmax, out=shifted)
    picked = shifted[rows, y]  # before exp overwrites the shifted logits
    np.exp(shifted, out=shifted)
    np.add.reduce(shifted, 1, None, lse)
    np.log(lse, out=lse)
    np.subtract(lse, picked, out=lse)
    total = np.add.reduce(lse, None)
    if not math.isfinite(total):  # inf or nan logits: the kernel's general path
        return np.asarray(kernel(z, y, **attrs))
    if attrs.get("reduction", "mean") == "mean":
        total = total / len(y)
    return np.asarray(total, dtype=z.dtype)


def sce_grad(g, z, y, kernel, attrs, rows, rowmax, rowsum, out=None):
    """``softmax_cross_entropy_grad(g, z, y)``: ``(softmax(z) - onehot(y)) * g / n`` (mean)
    or ``* g`` (sum), into ``out`` (a new array when None), as the kernel computes it."""
    if not _plain(z, y):
        p = np.asarray(kernel(g, z, y, **attrs))
        if out is None:
            return p
        np.copyto(out, p)
        return out
    if out is None:
        out = np.empty_like(z)
    np.maximum.reduce(z, 1, None, rowmax, True)
    np.subtract(z, rowmax, out=out)
    np.exp(out, out=out)
    np.add.reduce(out, 1, None, rowsum, True)
    if not math.isfinite(np.add.reduce(rowsum.reshape(-1), None)):  # inf or nan: general path
        np.copyto(out, kernel(g, z, y, **attrs))
        return out
    np.divide(out, rowsum, out=out)
    out[rows, y] -= 1  # softmax - onehot
    np.multiply(out, g / len(y) if attrs.get("reduction", "mean") == "mean" else g, out=out)
    return out



def sce_loss_grad(z, y, g, kernel, grad_kernel, attrs, rows, rowmax, rowsum, grad):
    """``softmax_cross_entropy(z, y)`` and its gradient for the cotangent ``g`` (written into
    ``grad``), sharing one ``exp`` pass; each exactly as its kernel computes it."""
    if not _plain(z, y):
        return _both_kernels(z, y, g, kernel, grad_kernel, attrs, grad)
    np.maximum.reduce(z, 1, None, rowmax, True)
    np.subtract(z, rowmax, out=grad)
    picked = grad[rows, y]
    np.exp(grad, out=grad)
    np.add.reduce(grad, 1, None, rowsum, True)
    np.divide(grad, rowsum, out=grad)  # softmax
    lse = rowsum.reshape(-1)
    np.log(lse, out=lse)
    np.subtract(lse, picked, out=lse)
    total = np.add.reduce(lse, None)
    if not math.isfinite(total):  # inf or nan logits: the kernels' general paths
        return _both_kernels(z, y, g, kernel, grad_kernel, attrs, grad)
    grad[rows, y] -= 1  # softmax - onehot
    mean = attrs.get("reduction", "mean") == "mean"
    np.multiply(grad, g / len(y) if mean else g, out=grad)
    return np.asarray(total / len(y) if mean else total, dtype=z.dtype), grad


def _both_kernels(z, y, g, kernel, grad_kernel, attrs, grad):
    loss = np.asarray(kernel(z, y, **attrs))  # raises the error naming a bad target
    np.copyto(grad, grad_kernel(g, z, y, **attrs))
    return loss, grad


HELPERS: dict[str, object] = {"_logaddexp": np.logaddexp, "_divide": np.true_divide,
                              "_sce_loss": sce_loss, "_sce_grad": sce_grad,
                              "_sce_loss_grad": sce_loss_grad}
