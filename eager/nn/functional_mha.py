"""``multi_head_attention_forward``: PyTorch's multi-head attention function, step for step
(in-projection, optional ``bias_k``/``bias_v`` and zero-attention slots, masks merged into
one float mask, attention per head, out-projection), over sequence-first (L, N, E) inputs.

Internally heads live in a (N, heads, L, head_dim) layout reached by one reshape that infers
only N, so the function traces into static graphs with an unknown batch size.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from .functional_attention import canonical_mask, check_mha_shapes, safe_softmax
from .functional_dropout import dropout
from .functional_shape import pad

_NEG_INF = float("-inf")


def _heads(x: Any, length: Any, num_heads: int, head_dim: int) -> Any:
    """(L, N, E) -> (N, heads, L, head_dim)."""
    return ops.transpose(ops.reshape(x, shape=(_known(length), -1, num_heads, head_dim)),
                         axes=(1, 2, 0, 3))


def _known(length: Any) -> int:
    if length is None:
        raise ValueError("multi_head_attention_forward: the sequence lengths must be known "
                         "(only the batch dim may be unknown in a traced static graph)")
    return length


def _in_projection(query: Any, key: Any, value: Any, w: Any, b: Any, separate: tuple | None):
    """q, k, v projections: from the packed (3E, E) ``w`` or the separate weights."""
    if separate is not None:
        b_q, b_k, b_v = (None,) * 3 if b is None else ops.split(b, 3, axis=0)
        return tuple(ops.linear(x, wx, bx) for x, wx, bx in
                     zip((query, key, value), separate, (b_q, b_k, b_v), strict=True))
    e = query.shape[-1]
    if query is key and key is value:  # self-attention: one product, cut in three
        proj = ops.linear(query, w, b)
        return tuple(ops.getitem(proj, (Ellipsis, slice(i * e, (i + 1) * e))) for i in range(3))
    ws = ops.split(w, 3, axis=0)
    bs = (None,) * 3 if b is None else ops.split(b, 3, axis=0)
    return tuple(ops.linear(x, wx, bx) for x, wx, bx in
                 zip((query, key, value), ws, bs, strict=True))


def _attn_mask_4d(attn_mask: Any, bsz: Any, num_heads: int, tgt_len: Any, src_len: Any):
    """A 2-D (L, S) or 3-D (N*heads, L, S) mask, checked, as (1 or N, heads or 1, L, S)."""
    if attn_mask.ndim == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len) and None not in (tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {tuple(attn_mask.shape)}, but "
                               f"should be {(tgt_len, src_len)}.")
        return attn_mask
    if attn_mask.ndim == 3:
        n = None if bsz is None else bsz * num_heads
        expected = (n, tgt_len, src_len)
        if any(a is not None and b is not None and a != b
               for a, b in zip(attn_mask.shape, expected, strict=True)):
            raise RuntimeError(f"The shape of the 3D attn_mask is {tuple(attn_mask.shape)}, but "
                               f"should be {expected}.")
        return ops.reshape(attn_mask, shape=(-1, num_heads, _known(tgt_len), _known(src_len)))
    raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")


def multi_head_attention_forward(
        query: Any, key: Any, value: Any, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Any, in_proj_bias: Any, bias_k: Any, bias_v: Any, add_zero_attn: bool,
        dropout_p: float, out_proj_weight: Any, out_proj_bias: Any, training: bool = True,
        key_padding_mask: Any = None, need_weights: bool = True, attn_mask: Any = None,
        use_separate_proj_weight: bool = False, q_proj_weight: Any = None,
        k_proj_weight: Any = None, v_proj_weight: Any = None, static_k: Any = None,
        static_v: Any = None, average_attn_weights: bool = True,
        is_causal: bool = False) -> tuple[Any, Any]:
    """Multi-head attention of (L, N, E) queries over (S, N, E_k) keys and (S, N, E_v) values
    (or unbatched (L, E), (S, E)): ``(output (L, N, E), weights or None)``. The weights are
    (N, L, S) averaged over heads, or (N, heads, L, S) with ``average_attn_weights=False``."""
    batched = check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = (ops.expand_dims(x, axis=1) for x in (query, key, value))
        if key_padding_mask is not None:
            key_padding_mask = ops.expand_dims(key_padding_mask, axis=0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask", attn_mask,
                                      "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the hint stands for the mask, as in PyTorch's fast path
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
        is_causal = is_causal and key_padding_mask is None
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {tuple(key.shape[:2])} do not "
                                 f"match value's {tuple(value.shape[:2])}")
    elif tuple(key.shape) != tuple(value.shape):
        raise AssertionError(f"key shape {tuple(key.shape)} does not match value shape "
                             f"{tuple(value.shape)}")
    separate = (q_proj_weight, k_proj_weight, v_proj_weight) if use_separate_proj_weight \
        else None
    q, k, v = _in_projection(query, key, value, in_proj_weight, in_proj_bias, separate)
    if attn_mask is not None:
        attn_mask = _attn_mask_4d(attn_mask, bsz, num_heads, tgt_len, src_len)
    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError("bias cannot be added to static key.")
        step = ops.zeros_like(ops.getitem(k, slice(0, 1)))  # (1, N, E)
        k = ops.concat([k, ops.add(step, bias_k)], axis=0)
        v = ops.concat([v, ops.add(ops.zeros_like(ops.getitem(v, slice(0, 1))), bias_v)],
                       axis=0)
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
        src_len = None if src_len is None else src_len + 1
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k is set but bias_v is None" if bias_k is not None
                             else "bias_v is set but bias_k is None")
    q = _heads(q, tgt_len, num_heads, head_dim)
    k = _heads(k, src_len, num_heads, head_dim) if static_k is None else \
        ops.reshape(static_k, shape=(-1, num_heads, _known(static_k.shape[1]), head_dim))
    v = _heads(v, src_len, num_heads, head_dim) if static_v is None else \
        ops.reshape(static_v, shape=(-1, num_heads, _known(static_v.shape[1]), head_dim))
    if add_zero_attn:
        zeros = ops.zeros_like(ops.getitem(k, (Ellipsis, slice(0, 1), slice(None))))
        k = ops.concat([k, zeros], axis=2)
        v = ops.concat([v, ops.zeros_like(ops.getitem(v, (Ellipsis, slice(0, 1), slice(None))))],
                       axis=2)
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
    src_len = k.shape[2]
    if key_padding_mask is not None:
        if None not in (bsz, key_padding_mask.shape[0]) and key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        kpm = ops.reshape(key_padding_mask, shape=(-1, 1, 1, _known(src_len)))
        attn_mask = kpm if attn_mask is None else ops.add(attn_mask, kpm)
    if not training:
        dropout_p = 0.0
    scores = ops.matmul(ops.mul(q, math.sqrt(1.0 / head_dim)), ops.transpose(k, axes=(0, 1, 3, 2)))
    if is_causal and attn_mask is None:
        causal = np.tril(np.ones((_known(tgt_len), _known(src_len)), dtype=bool))
        scores = ops.where(causal, scores, _NEG_INF)
    elif attn_mask is not None:
        scores = ops.add(scores, attn_mask)
    # need_weights runs PyTorch's explicit softmax (NaN rows where all is masked); otherwise
    # its SDPA, whose masked-out rows are zeros.
    weights = ops.softmax(scores, axis=-1) if need_weights else safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    out = ops.transpose(ops.matmul(weights, v), axes=(2, 0, 1, 3))  # (L, N, heads, head_dim)
    out = ops.linear(ops.reshape(out, shape=(_known(tgt_len), -1, embed_dim)), out_proj_weight,
                     out_proj_bias)
    if not need_weights:
        return (out if batched else ops.squeeze(out, axis=1)), None
    if average_attn_weights:
        weights = ops.mean(weights, axis=1)
    if not batched:
        return ops.squeeze(out, axis=1), ops.squeeze(weights, axis=0)
    return out, weights


__all__ = ["multi_head_attention_forward"]
