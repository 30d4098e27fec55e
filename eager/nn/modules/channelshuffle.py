"""``eager.nn.modules.channelshuffle``: PyTorch's module path of ChannelShuffle, for
``from torch.nn.modules.channelshuffle import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import channel_shuffle
from .layer_export import export_layers

__all__ = export_layers(globals(), channel_shuffle)
