"""``eager.nn.modules.transformer``: PyTorch's module path of transformer layers
(``from torch.nn.modules.transformer import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..transformer import Transformer, TransformerDecoder, TransformerEncoder
from ..transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer

__all__ = ['Transformer', 'TransformerDecoder', 'TransformerEncoder', 'TransformerDecoderLayer',
           'TransformerEncoderLayer']
