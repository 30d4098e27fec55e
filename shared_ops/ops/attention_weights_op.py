"""Attention weights as one kernel: ``attention_weights(q, k, scale, causal)``, the softmax of
``q k^T * scale`` over the keys (causal: key j <= query i only), what scaled dot-product
attention multiplies the values by.

The composite is five ops (the scale, the transpose, the product, the causal bias, the
softmax), each a dispatch and a pass over the scores, and as many gradient rules; its
immediate form for values at hand, ``fused_attention_weights``, computes the scores into one
fresh buffer and takes the softmax there in place, and its gradient is NumPy on arrays in the
eager backward (the gain is in docs/PERFORMANCE.md). Causal attention adds a cached 0/-inf
bias: every row keeps its diagonal, so no row is all -inf and the plain softmax is safe; the
masked weights are exactly 0, so their gradient is too.

    >>> import numpy as np
    >>> q = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> attention_weights(q, q, scale=1.0, causal=True).round(4).tolist()
    [[1.0, 0.0], [0.2689, 0.7311]]
"""

from __future__ import annotations

import functools

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import require_float
from .array_rules import on_arrays
from .elementwise import ALL, add, mul, sub, unbroadcast
from .linalg import matmul
from .neural import softmax
from .reductions import sum as reduce_sum
from .shape import transpose
from .softmax_kernels import softmax_grad_array, softmax_inplace

_NEG_INF = float("-inf")


@functools.lru_cache(maxsize=16)
def causal_bias(length, source, dtype: np.dtype) -> np.ndarray:
    """(L, S) scores to add for causal attention: 0 on and below the diagonal, else -inf
    (read-only: cached, one per shape)."""
    if length is None or source is None:
        raise ValueError("is_causal needs the query and key lengths known (a static graph "
                         "traced with an unknown sequence length cannot build the mask)")
    bias = np.where(np.tril(np.ones((length, source), dtype=bool)), 0.0, _NEG_INF).astype(dtype)
    bias.flags.writeable = False
    return bias


def _swapped(ndim: int) -> tuple[int, ...]:
    return (*range(ndim - 2), ndim - 1, ndim - 2)


# --- fused_attention_weights: primitive --------------------------------------------------------
def _kernel(q, k, scale=1.0, causal=False):
    s = np.matmul(np.multiply(q, q.dtype.type(scale)), np.swapaxes(k, -1, -2))  # q's dtype
    if causal:
        s += causal_bias(q.shape[-2], k.shape[-2], s.dtype)
    return softmax_inplace(s)


def _rule(q: Aval, k: Aval, scale=1.0, causal=False) -> Aval:
    if len(q.shape) < 2 or len(k.shape) < 2 or (q.shape[-1] != k.shape[-1]
                                                  and None not in (q.shape[-1], k.shape[-1])):
        raise ShapeError("fused_attention_weights", "expected queries (..., L, E) and keys "
                         f"(..., S, E), got {describe_shapes(q.shape, k.shape)}",
                         shapes=[q.shape, k.shape])
    require_float("fused_attention_weights", q, k)
    batch = broadcast_shapes("fused_attention_weights", q.shape[:-2], k.shape[:-2])
    return Aval((*batch, q.shape[-2], k.shape[-2]), q.dtype)


def _vjp(g, inputs, out, scale=1.0, causal=False, needs=ALL):
    # s = q k^T scale, w = softmax(s): ds = w (g - sum(g w)), dq = ds k scale, dk = ds^T q scale.
    q, k = inputs
    if on_arrays(g, inputs) and q.shape[:-2] == k.shape[:-2] == g.shape[:-2]:
        ds = softmax_grad_array(g, out)
        ds *= scale
        return (np.matmul(ds, k) if needs[0] else None,
                np.matmul(np.swapaxes(ds, -1, -2), q) if needs[1] else None)
    ds = mul(mul(out, sub(g, reduce_sum(mul(g, out), axis=-1, keepdims=True))), scale)
    dq = unbroadcast(matmul(ds, k), q, inputs) if needs[0] else None
    dk = unbroadcast(matmul(transpose(ds, axes=_swapped(len(ds.shape))), q), k, inputs) \
        if needs[1] else None
    return dq, dk


fused_attention_weights = primitive(
    "fused_attention_weights", _kernel, _rule, _vjp, promote=True, floating=True, fresh=True,
    torch_name="SoftmaxBackward0",
    doc="fused_attention_weights(q, k, scale=1.0, causal=False): softmax(q k^T * scale) over "
        "the keys (causal: keys up to the query's position), as one kernel.")


# --- attention_weights: composite --------------------------------------------------------------
def _attention_weights_now(q, k, scale: float = 1.0, causal: bool = False):
    return fused_attention_weights(q, k, scale=scale, causal=causal)


@composite(immediate=_attention_weights_now)
def attention_weights(q, k, scale: float = 1.0, causal: bool = False):
    """``softmax(q k^T * scale)`` over the keys; ``causal``: query i sees keys 0..i only (a 0/-inf
    bias added to the scores). The scale multiplies the queries (L x E), not the scores
    (L x S): fewer elements. One `fused_attention_weights` kernel eagerly."""
    scores = matmul(mul(q, scale), transpose(k, axes=_swapped(len(k.shape))))
    if causal:
        scores = add(scores, causal_bias(q.shape[-2], k.shape[-2], np.dtype(scores.dtype)))
    return softmax(scores, axis=-1)


__all__ = ["attention_weights", "fused_attention_weights", "causal_bias"]
