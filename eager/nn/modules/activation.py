"""``eager.nn.modules.activation``: PyTorch's module path of activation layers (and
MultiheadAttention), for ``from torch.nn.modules.activation import ...`` in layers written for
PyTorch."""

from __future__ import annotations

from .. import activation, activation_more, activation_rrelu, multihead_attention
from .layer_export import export_layers

__all__ = export_layers(globals(), activation, activation_more, activation_rrelu,
                         multihead_attention)
