"""``eager.nn.attention.bias``: causal masks for ``F.scaled_dot_product_attention`` that know
their variant, PyTorch's ``torch.nn.attention.bias``.

``causal_upper_left(L, S)`` is the usual causal mask (query i sees keys 0..i, what
``is_causal=True`` means); ``causal_lower_right(L, S)`` aligns the triangle to the last key,
so the L newest queries of a KV-cached decoder see every cached key and the new ones up to
their own position:

    >>> causal_lower_right(2, 4)
    tensor([[ True,  True,  True, False],
            [ True,  True,  True,  True]])

A `CausalBias` is an eager Tensor holding that bool mask (True: may attend), so it also works
wherever a mask Tensor does; passed as ``attn_mask``, attention runs as PyTorch's does for it
(the causal path when the triangle is the usual one). Unlike PyTorch's (a Tensor subclass
whose own shape is meaningless), its shape is the mask's, ``(L, S)``.
"""

from __future__ import annotations

import warnings
from enum import IntEnum, auto
from typing import Any

import numpy as np

from ...tensor import Tensor
from ..functional_attention import scaled_dot_product_attention

__all__ = ["causal_upper_left", "causal_lower_right", "CausalVariant", "CausalBias"]


class CausalVariant(IntEnum):
    """Which corner the causal triangle is aligned to: ``UPPER_LEFT`` is
    ``tril(ones(L, S))``, ``LOWER_RIGHT`` is ``tril(ones(L, S), diagonal=S - L)``; the two
    agree when L == S."""

    UPPER_LEFT = auto()
    LOWER_RIGHT = auto()


class CausalBias(Tensor):
    """A causal mask of one `CausalVariant` for ``seq_len_q`` queries and ``seq_len_kv``
    keys; build one with `causal_upper_left` or `causal_lower_right`."""

    __slots__ = ("variant", "seq_len_q", "seq_len_kv")

    def __init__(self, variant: CausalVariant, seq_len_q: int, seq_len_kv: int) -> None:
        if not isinstance(variant, CausalVariant):
            raise AssertionError(f"variant must be a CausalVariant, got {type(variant).__name__}")
        self.variant = variant
        self.seq_len_q = seq_len_q
        self.seq_len_kv = seq_len_kv
        if seq_len_q > seq_len_kv and variant == CausalVariant.LOWER_RIGHT:
            warnings.warn("Lower right causal bias will produce NaNs in the output when "
                          "seq_len_q > seq_len_kv!", stacklevel=2)
        offset = 0 if variant == CausalVariant.UPPER_LEFT else seq_len_kv - seq_len_q
        super().__init__(np.tri(seq_len_q, seq_len_kv, offset, dtype=bool))

    def _materialize(self, device: Any = None) -> Tensor:
        """The mask as a plain bool Tensor (PyTorch's method of the same name)."""
        return Tensor(self._data.copy())

    @staticmethod
    def sdpa_dispatch(query: Any, key: Any, value: Any, attn_mask: CausalBias,
                      dropout_p: float = 0.0, is_causal: bool = False,
                      scale: float | None = None, enable_gqa: bool = False) -> Any:
        """What ``scaled_dot_product_attention`` runs for this mask, as PyTorch's
        ``CausalBias._dispatch``: the causal path for the usual triangle, else the mask."""
        if is_causal:
            raise ValueError("CausalBias should not be used with causal=True")
        square = attn_mask.seq_len_q == attn_mask.seq_len_kv
        if square or attn_mask.variant == CausalVariant.UPPER_LEFT:
            return scaled_dot_product_attention(query, key, value, None, dropout_p, True, scale,
                                                enable_gqa)
        return scaled_dot_product_attention(query, key, value, attn_mask._materialize(),
                                            dropout_p, False, scale, enable_gqa)


def causal_upper_left(*size: int) -> CausalBias:
    """The usual causal mask of shape ``(L, S)``: query i attends to keys 0..i."""
    if len(size) != 2:
        raise AssertionError("causal_upper_left only supports 2D tensors")
    return CausalBias(CausalVariant.UPPER_LEFT, *size)


def causal_lower_right(*size: int) -> CausalBias:
    """The causal mask of shape ``(L, S)`` aligned to the last key: query i attends to keys
    0..i + S - L (the new queries of a KV-cached decoder)."""
    if len(size) != 2:
        raise AssertionError("causal_lower_right only supports 2D tensors")
    return CausalBias(CausalVariant.LOWER_RIGHT, *size)
