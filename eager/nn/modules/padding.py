"""``eager.nn.modules.padding``: PyTorch's module path of padding layers, for
``from torch.nn.modules.padding import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import padding
from .layer_export import export_layers

__all__ = export_layers(globals(), padding)
