"""Attention in ``eager.nn.functional``: `scaled_dot_product_attention` and
`multi_head_attention_forward` (what `nn.MultiheadAttention` runs), composed of shared ops.

Masks follow PyTorch's two conventions: for ``scaled_dot_product_attention`` a bool mask says
where attention is *allowed* (True) and a float mask is added to the scores; for the
multi-head function a bool mask says where it is *forbidden* (True), and both kinds become a
float mask of 0 and -inf. A row whose scores are all -inf attends to nothing: SDPA gives zeros
there (and zero gradients), as PyTorch's does, while ``need_weights=True`` gives NaN, as
PyTorch's explicit softmax does.

Heads are split with one reshape whose only inferred dim is the batch, so a static graph
traced with an unknown batch size works (the sequence lengths must be known).

    >>> import eager
    >>> q = eager.ones(1, 2, 4)
    >>> scaled_dot_product_attention(q, q, eager.arange(8.0).reshape(1, 2, 4)).shape
    torch.Size([1, 2, 4])
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

import numpy as np

import shared_ops as ops

from .functional_dropout import dropout

_NEG_INF = float("-inf")


def _is_bool(mask: Any) -> bool:
    return np.dtype(mask.dtype).kind == "b"


def safe_softmax(scores: Any) -> Any:
    """Softmax over the last dim, 0 (not NaN) for rows that are all -inf."""
    dead = ops.eq(ops.max(scores, axis=-1, keepdims=True), _NEG_INF)
    # Dead rows get finite scores before the softmax, so no NaN reaches the gradient either.
    return ops.where(dead, 0.0, ops.softmax(ops.where(dead, 0.0, scores), axis=-1))


@functools.lru_cache(maxsize=16)
def _causal_bias(length: Any, source: Any, dtype: np.dtype) -> np.ndarray:
    """(L, S) scores to add for causal attention: 0 on and below the diagonal, else -inf
    (read-only: cached, one per shape)."""
    if length is None or source is None:
        raise ValueError("is_causal needs the query and key lengths known (a static graph "
                         "traced with an unknown sequence length cannot build the mask)")
    bias = np.where(np.tril(np.ones((length, source), dtype=bool)), 0.0, _NEG_INF).astype(dtype)
    bias.flags.writeable = False
    return bias


def _repeat_heads(x: Any, groups: int) -> Any:
    """Each head of ``x`` (..., Hk, S, E) repeated ``groups`` times in place (GQA)."""
    heads = x.shape[-3]
    return ops.getitem(x, (Ellipsis, np.repeat(np.arange(heads), groups), slice(None),
                           slice(None)))


def scaled_dot_product_attention(query: Any, key: Any, value: Any, attn_mask: Any = None,
                                 dropout_p: float = 0.0, is_causal: bool = False,
                                 scale: float | None = None, enable_gqa: bool = False) -> Any:
    """``softmax(q k^T * scale + mask) v`` over (..., L, E) queries and (..., S, E) keys.

    ``attn_mask``: bool (True: may attend) or float (added), broadcast to (..., L, S);
    ``is_causal``: query i attends to keys 0..i only; ``dropout_p``: dropout on the weights
    (always applied: the functional form has no training flag, as in PyTorch).
    """
    if enable_gqa and query.shape[-3] != key.shape[-3]:
        groups = query.shape[-3] // key.shape[-3]
        key, value = _repeat_heads(key, groups), _repeat_heads(value, groups)
    e = query.shape[-1]
    scale = 1.0 / math.sqrt(e) if scale is None else scale
    # The scale multiplies the queries (L x E), not the scores (L x S): fewer elements.
    scores = ops.matmul(ops.mul(query, scale), ops.transpose(key, axes=_swap_last(key.ndim)))
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                               "set when is_causal=True")
        # Added as 0 / -inf (its gradient is g itself, no select); every row keeps its
        # diagonal, so no row is all -inf and the plain softmax is safe.
        weights = ops.softmax(ops.add(scores, _causal_bias(query.shape[-2], key.shape[-2],
                                                           np.dtype(scores.dtype))), axis=-1)
    elif attn_mask is None:
        weights = ops.softmax(scores, axis=-1)  # no mask: no row can be all -inf
    else:
        scores = ops.where(attn_mask, scores, _NEG_INF) if _is_bool(attn_mask) else \
            ops.add(scores, attn_mask)
        weights = safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return ops.matmul(weights, value)


def _swap_last(ndim: int) -> tuple[int, ...]:
    return (*range(ndim - 2), ndim - 1, ndim - 2)


def canonical_mask(mask: Any, name: str, other: Any, other_name: str, like_dtype: Any,
                   check_other: bool = True) -> Any:
    """PyTorch's ``_canonical_mask``: a bool mask (True: forbidden) as a float mask of 0 and
    -inf in ``like_dtype``; float masks pass unchanged."""
    if mask is None:
        return None
    kind = np.dtype(mask.dtype).kind
    if kind not in "bf":
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if check_other and other is not None and np.dtype(other.dtype) != np.dtype(mask.dtype):
        warnings.warn(f"Support for mismatched {name} and {other_name} is deprecated. Use same "
                      "type for both instead.", stacklevel=3)
    if kind == "b":
        return ops.where(mask, _NEG_INF, ops.zeros_like(mask, dtype=like_dtype))
    return mask


def check_mha_shapes(query: Any, key: Any, value: Any, key_padding_mask: Any, attn_mask: Any,
                  num_heads: int) -> bool:
    """PyTorch's ``_mha_shape_check``: whether the inputs are batched (3-D ``query``; 2-D is
    unbatched), with its messages for either."""
    d = query.ndim
    if d not in (2, 3):
        raise AssertionError("query should be unbatched 2D or batched 3D tensor but received "
                             f"{d}-D query tensor")
    batched = d == 3
    where = "For batched (3-D) `query`" if batched else "For unbatched (2-D) `query`"
    if key.ndim != d or value.ndim != d:
        raise AssertionError(f"{where}, expected `key` and `value` to be {d}-D but found "
                             f"{key.ndim}-D and {value.ndim}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.ndim != d - 1:
        raise AssertionError(f"{where}, expected `key_padding_mask` to be `None` or {d - 1}-D "
                             f"but found {key_padding_mask.ndim}-D tensor instead")
    if attn_mask is not None and attn_mask.ndim not in (2, 3):
        raise AssertionError(f"{where}, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                             f"{attn_mask.ndim}-D tensor instead")
    if not batched and attn_mask is not None and attn_mask.ndim == 3:
        expected = (num_heads, query.shape[0], key.shape[0])
        if tuple(attn_mask.shape) != expected:
            raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                 f"{tuple(attn_mask.shape)}")
    return batched


__all__ = ["scaled_dot_product_attention", "canonical_mask", "check_mha_shapes", "safe_softmax"]
