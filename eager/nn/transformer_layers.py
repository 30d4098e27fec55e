"""`TransformerEncoderLayer` and `TransformerDecoderLayer`, PyTorch's: self-attention (and,
for the decoder, attention over the encoder's ``memory``) and a feed-forward block, each with
dropout, a residual and a LayerNorm, after the block (post-norm, the default) or before it
(``norm_first=True``). Submodule names, parameter layout and initialization are PyTorch's.

    >>> TransformerEncoderLayer(8, 2, 16).linear1
    Linear(in_features=8, out_features=16, bias=True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shared_ops as ops

from . import functional as F
from .activation import GELU, ReLU
from .dropout import Dropout
from .functional_attention import canonical_mask
from .linear import Linear
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import LayerNorm


def activation_function(activation: str | Callable) -> Callable:
    if not isinstance(activation, str):
        return activation
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


class _Sublayers(Module):
    """What both layers build alike, in PyTorch's registration order (which fixes the order of
    ``parameters()`` and ``state_dict()``): ``self_attn`` (and, with ``_cross_attention``,
    ``multihead_attn``), the feed-forward ``linear1``, ``dropout``, ``linear2``, then one
    ``norm{i}`` and one ``dropout{i}`` per block. The constructor is PyTorch's, the same for both
    layers; the encoder also notes which activation it has (`_set_activation`)."""

    # Whether the layer has the decoder's second attention block, over the encoder's memory.
    _cross_attention = False

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: str | Callable = F.relu,
                 layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        cross_attention = self._cross_attention

        def attention() -> MultiheadAttention:
            return MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                      batch_first=batch_first, **kw)

        self.self_attn = attention()
        if cross_attention:
            self.multihead_attn = attention()
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        blocks = range(1, 4 if cross_attention else 3)
        for i in blocks:
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw))
        for i in blocks:
            setattr(self, f"dropout{i}", Dropout(dropout))
        self._set_activation(activation_function(activation))

    def _set_activation(self, activation: Callable) -> None:
        self.activation = activation

    def _sa_block(self, x: Any, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Any:
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]
        return self._attention_dropout(self.dropout1, x)

    def _attention_dropout(self, dropout: Dropout, x: Any) -> Any:
        """``dropout(x)`` for an attention output. PyTorch's batch-first attention output is a
        transposed view of a (L, N, E) buffer, and its dropout draws the mask in memory order:
        drawn here over (L, N, E) too, so that a seeded run drops the same elements."""
        if not self.self_attn.batch_first or x.ndim != 3:
            return dropout(x)
        return ops.transpose(dropout(ops.transpose(x, axes=(1, 0, 2))), axes=(1, 0, 2))


class TransformerEncoderLayer(_Sublayers):
    """Self-attention and a feed-forward block, each with dropout, a residual and LayerNorm."""

    def _set_activation(self, activation: Callable) -> None:
        # PyTorch's record of which fast path the activation allows (1: relu, 2: gelu).
        if activation is F.relu or isinstance(activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif activation is F.gelu or isinstance(activation, GELU):
            self.activation_relu_or_gelu = 2
        else:
            self.activation_relu_or_gelu = 0
        super()._set_activation(activation)

    def forward(self, src: Any, src_mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool = False) -> Any:
        src_key_padding_mask = canonical_mask(src_key_padding_mask, "src_key_padding_mask",
                                              src_mask, "src_mask", src.dtype)
        src_mask = canonical_mask(src_mask, "src_mask", None, "", src.dtype, False)
        x = src
        if self.norm_first:
            x = ops.add(x, self._sa_block(self.norm1(x), src_mask, src_key_padding_mask,
                                          is_causal))
            return ops.add(x, self._ff_block(self.norm2(x)))
        x = self.norm1(ops.add(x, self._sa_block(x, src_mask, src_key_padding_mask,
                                                 is_causal)))
        return self.norm2(ops.add(x, self._ff_block(x)))

    def _ff_block(self, x: Any) -> Any:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoderLayer(_Sublayers):
    """Self-attention, attention over the encoder's ``memory``, and a feed-forward block."""

    _cross_attention = True

    def forward(self, tgt: Any, memory: Any, tgt_mask: Any = None, memory_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                tgt_is_causal: bool = False, memory_is_causal: bool = False) -> Any:
        x = tgt
        if self.norm_first:
            x = ops.add(x, self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask,
                                          tgt_is_causal))
            x = ops.add(x, self._mha_block(self.norm2(x), memory, memory_mask,
                                           memory_key_padding_mask, memory_is_causal))
            return ops.add(x, self._ff_block(self.norm3(x)))
        x = self.norm1(ops.add(x, self._sa_block(x, tgt_mask, tgt_key_padding_mask,
                                                 tgt_is_causal)))
        x = self.norm2(ops.add(x, self._mha_block(x, memory, memory_mask,
                                                  memory_key_padding_mask, memory_is_causal)))
        return self.norm3(ops.add(x, self._ff_block(x)))

    def _mha_block(self, x: Any, mem: Any, attn_mask: Any, key_padding_mask: Any,
                   is_causal: bool) -> Any:
        x = self.multihead_attn(x, mem, mem, attn_mask=attn_mask,
                                key_padding_mask=key_padding_mask, is_causal=is_causal,
                                need_weights=False)[0]
        return self._attention_dropout(self.dropout2, x)

    def _ff_block(self, x: Any) -> Any:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))
