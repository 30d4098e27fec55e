"""The transformer stacks as PyTorch's: `TransformerEncoder` and `TransformerDecoder` (deep
copies of one layer from `transformer_layers`, then an optional norm) and the whole
`Transformer`. Submodule names, parameter layout and initialization match, so state dicts
interchange with PyTorch's.

PyTorch's inference fast path changes one visible number, and it is reproduced: an encoder
whose layers allow nested tensors, run in eval mode without gradients and with a left-aligned
``src_key_padding_mask`` (and no ``mask``), returns zeros at padded positions (then its final
``norm``). Elsewhere padded positions hold whatever attention over the valid keys gives.

    >>> Transformer.generate_square_subsequent_mask(3)
    tensor([[0., -inf, -inf],
            [0., 0., -inf],
            [0., 0., 0.]])
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import shared_ops as ops

from ..autograd import is_grad_enabled
from ..tensor import Tensor
from . import functional as F
from . import init
from .containers import ModuleList
from .functional_attention import canonical_mask
from .module import Module
from .normalization import LayerNorm
from .transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer


def _square_subsequent_mask(size: int, dtype: Any = None) -> np.ndarray:
    return np.triu(np.full((size, size), -np.inf, dtype=np.dtype(dtype or np.float32)), k=1)


def _seq_len(src: Any, batch_first: bool) -> Any:
    return src.shape[0] if src.ndim == 2 else src.shape[1 if batch_first else 0]


def _is_causal_mask(mask: Any, is_causal: bool | None, size: Any) -> bool:
    """PyTorch's ``_detect_is_causal_mask``: the hint, or - not given - whether ``mask`` is
    the square subsequent mask (values must be at hand: a graph node is not compared)."""
    if is_causal is not None or mask is None:
        return is_causal is True
    if not isinstance(mask, Tensor | np.ndarray):
        return False
    size = size if size is not None else mask.shape[-2]
    values = np.asarray(mask)
    expected = _square_subsequent_mask(size, values.dtype if values.dtype.kind == "f" else None)
    if values.dtype.kind == "b":
        expected = expected == -np.inf
    return values.shape == expected.shape and bool((values == expected).all())


def _clones(module: Module, n: int) -> ModuleList:
    return ModuleList([copy.deepcopy(module) for _ in range(n)])


def _why_not_nested(layer: Any) -> str:
    """PyTorch's reasons an encoder cannot use nested tensors (empty: it can)."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    attn = layer.self_attn
    checks = [
        (layer.norm_first, f"{name}.norm_first was True"),
        (not attn.batch_first, f"{name}.self_attn.batch_first was not True(use batch_first for "
                               "better inference performance)"),
        (not attn._qkv_same_embed_dim, f"{name}.self_attn._qkv_same_embed_dim was not True"),
        (attn.in_proj_bias is None, f"{name}.self_attn was passed bias=False"),
        (not layer.activation_relu_or_gelu, f"{name}.activation_relu_or_gelu was not True"),
        (layer.norm1.eps != layer.norm2.eps, f"{name}.norm1.eps was not equal to "
                                             f"{name}.norm2.eps"),
        (attn.num_heads % 2 == 1, f"{name}.self_attn.num_heads is odd"),
    ]
    return next((why for failed, why in checks if failed), "")


class TransformerEncoder(Module):
    """``num_layers`` copies of ``encoder_layer`` in sequence, then ``norm`` if given."""

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int,
                 norm: Module | None = None, enable_nested_tensor: bool = True,
                 mask_check: bool = True) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        why = _why_not_nested(encoder_layer)
        if enable_nested_tensor and why:
            warnings.warn(f"enable_nested_tensor is True, but self.use_nested_tensor is False "
                          f"because {why}", stacklevel=2)
            self.use_nested_tensor = False

    def forward(self, src: Any, mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool | None = None) -> Any:
        src_key_padding_mask = canonical_mask(src_key_padding_mask, "src_key_padding_mask",
                                              mask, "mask", src.dtype)
        mask = canonical_mask(mask, "mask", None, "", src.dtype, False)
        first = self.layers[0]
        padded = self._nested_padding(src, mask, src_key_padding_mask)
        is_causal = _is_causal_mask(mask, is_causal,
                                    _seq_len(src, first.self_attn.batch_first))
        out = src
        for layer in self.layers:
            out = layer(out, src_mask=mask, is_causal=is_causal,
                        src_key_padding_mask=src_key_padding_mask)
        if padded is not None:  # PyTorch's nested-tensor path pads with zeros
            out = ops.where(padded, 0.0, out)
        return out if self.norm is None else self.norm(out)

    def _nested_padding(self, src: Any, mask: Any, key_padding_mask: Any) -> Any:
        """Where PyTorch's inference fast path would run on nested tensors: the (N, S, 1)
        padded positions (it zeroes them); else None."""
        first = self.layers[0]
        if not getattr(self, "use_nested_tensor", False) or first.training or src.ndim != 3 \
                or key_padding_mask is None or mask is not None:
            return None
        if not isinstance(key_padding_mask, Tensor | np.ndarray):
            return None  # a graph node: no values to check alignment with
        padded = np.asarray(key_padding_mask) != 0
        if self.mask_check and (np.diff(padded.astype(np.int8), axis=1) < 0).any():
            return None  # not left-aligned
        params = [first.self_attn.in_proj_weight, first.self_attn.in_proj_bias,
                  first.self_attn.out_proj.weight, first.self_attn.out_proj.bias,
                  first.norm1.weight, first.norm1.bias, first.norm2.weight, first.norm2.bias,
                  first.linear1.weight, first.linear1.bias, first.linear2.weight,
                  first.linear2.bias]
        if is_grad_enabled() and any(getattr(t, "requires_grad", False)
                                     for t in [src, *params]):
            return None
        return padded[:, :, None]


class TransformerDecoder(Module):
    """``num_layers`` copies of ``decoder_layer`` in sequence, then ``norm`` if given."""

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int,
                 norm: Module | None = None) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Any, memory: Any, tgt_mask: Any = None, memory_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                tgt_is_causal: bool | None = None, memory_is_causal: bool = False) -> Any:
        out = tgt
        tgt_is_causal = _is_causal_mask(tgt_mask, tgt_is_causal,
                                        _seq_len(tgt, self.layers[0].self_attn.batch_first))
        for layer in self.layers:
            out = layer(out, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                        tgt_key_padding_mask=tgt_key_padding_mask,
                        memory_key_padding_mask=memory_key_padding_mask,
                        tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return out if self.norm is None else self.norm(out)


class Transformer(Module):
    """An encoder stack and a decoder stack, each ending in a LayerNorm; every weight with
    more than one dim starts Xavier-uniform, as in PyTorch."""

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6,
                 num_decoder_layers: int = 6, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: str | Callable = F.relu,
                 custom_encoder: Any = None, custom_decoder: Any = None,
                 layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        layer_args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                      batch_first, norm_first, bias)

        def stack(custom: Any, stack_class: type, layer_class: type, num_layers: int) -> Any:
            """The user's own stack, or ``num_layers`` of ``layer_class`` and a final norm."""
            if custom is not None:
                return custom
            return stack_class(layer_class(*layer_args, **kw), num_layers,
                               LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw))

        self.encoder = stack(custom_encoder, TransformerEncoder, TransformerEncoderLayer,
                             num_encoder_layers)
        self.decoder = stack(custom_decoder, TransformerDecoder, TransformerDecoderLayer,
                             num_decoder_layers)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(self, src: Any, tgt: Any, src_mask: Any = None, tgt_mask: Any = None,
                memory_mask: Any = None, src_key_padding_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Any:
        batch = 0 if self.batch_first else 1
        if src.ndim == 3 and None not in (src.shape[batch], tgt.shape[batch]) and \
                src.shape[batch] != tgt.shape[batch]:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None
                                        ) -> Tensor:
        """(sz, sz): 0 on and below the diagonal, -inf above (position i sees 0..i)."""
        return Tensor(_square_subsequent_mask(sz, dtype))

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
