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

import math
import warnings
from typing import Any

import numpy as np

import shared_ops as ops

from ..backends import cuda
from .functional_dropout import dropout

_NEG_INF = float("-inf")


def _is_bool(mask: Any) -> bool:
    return np.dtype(mask.dtype).kind == "b"


def safe_softmax(scores: Any) -> Any:
    """Softmax over the last dim, 0 (not NaN) for rows that are all -inf."""
    dead = ops.eq(ops.max(scores, axis=-1, keepdims=True), _NEG_INF)
    # Dead rows get finite scores before the softmax, so no NaN reaches the gradient either.
    return ops.where(dead, 0.0, ops.softmax(ops.where(dead, 0.0, scores), axis=-1))


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
    ``is_causal``: query i attends to keys 0..i only (with a mask too only where PyTorch's
    CPU flash kernel would take the call); ``dropout_p``: dropout on the weights (always
    applied: the functional form has no training flag, as in PyTorch).
    """
    # A mask type with attention of its own (PyTorch's bias subclasses, such as
    # eager.nn.attention.bias.CausalBias, take over the call through __torch_function__).
    dispatch = getattr(type(attn_mask), "sdpa_dispatch", None)
    if dispatch is not None:
        return dispatch(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)
    if not cuda.math_sdp_enabled():
        check_flash_kernel(query, key, value, attn_mask, dropout_p)
    if is_causal and attn_mask is not None and not (
            cuda.flash_sdp_enabled() and
            _flash_refusal(query, key, value, attn_mask, dropout_p) is None):
        # Only PyTorch's CPU flash kernel takes a mask with is_causal; its math path refuses.
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                           "set when is_causal=True")
    if enable_gqa and query.shape[-3] != key.shape[-3]:
        groups = query.shape[-3] // key.shape[-3]
        key, value = _repeat_heads(key, groups), _repeat_heads(value, groups)
    e = query.shape[-1]
    scale = 1.0 / math.sqrt(e) if scale is None else scale
    if attn_mask is None:  # causal or no mask: no row can be all -inf (one kernel eagerly)
        weights = ops.attention_weights(query, key, scale=scale, causal=is_causal)
    else:
        # The scale multiplies the queries (L x E), not the scores (L x S): fewer elements.
        scores = ops.matmul(ops.mul(query, scale), ops.transpose(key, axes=_swap_last(key.ndim)))
        scores = ops.where(attn_mask, scores, _NEG_INF) if _is_bool(attn_mask) else \
            ops.add(scores, attn_mask)
        if is_causal:  # the flash kernel's: the user's mask, then the causal triangle
            scores = ops.where(np.tri(query.shape[-2], key.shape[-2], dtype=bool), scores,
                               _NEG_INF)
        weights = safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return ops.matmul(weights, value)


# ATen's names of the dtypes in the flash kernel's dtype message.
_CPP_DTYPES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
               "int32": "int", "int16": "short int", "int8": "signed char",
               "uint8": "unsigned char", "bool": "bool"}


def _flash_refusal(query: Any, key: Any, value: Any, attn_mask: Any,
                   dropout_p: float) -> str | None:
    """Why PyTorch's CPU flash kernel would not take this call (its checks, in its order and
    words), or None when it would."""
    if dropout_p > 0.0:
        return "Both fused kernels do not support non-zero dropout."
    if not query.ndim == key.ndim == value.ndim == 4:
        return ("All fused kernels requires query, key and value to be 4 dimensional, but got "
                f"Query dim: {query.ndim}, Key dim: {key.ndim}, Value dim: {value.ndim} "
                "instead.")
    if attn_mask is not None and attn_mask.ndim not in (2, 4):
        return ("Please use the following attn mask shapes: 2d - ({Q_seq_len, 1}  x "
                "{KV_seq_len, 1}); 4d - ({Batch, 1} x {Num_heads, 1} x {Q_seq_len, 1}  x "
                "{KV_seq_len, 1})")
    e = (query.shape[-1], key.shape[-1], value.shape[-1])
    if len(set(e)) != 1:
        return ("Flash attention requires q,k,v to have the same last dimension. Got "
                f"Query.size(-1): {e[0]}, Key.size(-1): {e[1]}, Value.size(-1): {e[2]} "
                "instead.")
    names = [_CPP_DTYPES.get(str(np.dtype(t.dtype)), str(np.dtype(t.dtype)))
             for t in (query, key, value)]
    if any(np.dtype(t.dtype).kind != "f" for t in (query, key, value)):
        return ("Expected query, key and value to all be of dtype: {Float, Double, BFloat16, "
                f"Half}}. Got Query dtype: {names[0]}, Key dtype: {names[1]}, and Value dtype: "
                f"{names[2]} instead.")
    return None


def check_flash_kernel(query: Any, key: Any, value: Any, attn_mask: Any,
                       dropout_p: float) -> None:
    """With the math backend switched off (``sdpa_kernel``), PyTorch's CPU refusals: no
    backend at all, or a call the flash kernel does not take (two warnings saying why)."""
    if not cuda.flash_sdp_enabled():
        raise RuntimeError("No viable backend for scaled_dot_product_attention was found. This "
                           "is likely due to turning off both the math kernel and the fused "
                           "kernels.")
    reason = _flash_refusal(query, key, value, attn_mask, dropout_p)
    if reason is not None:
        warnings.warn("Flash attention kernel not used because:", stacklevel=3)
        warnings.warn(reason, stacklevel=3)
        raise RuntimeError("No available kernel.  Aborting execution.")


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


__all__ = ["scaled_dot_product_attention", "canonical_mask", "check_mha_shapes", "safe_softmax",
           "check_flash_kernel"]
