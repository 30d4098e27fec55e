"""``eager.nn.modules.distance``: PyTorch's module path of distances, for
``from torch.nn.modules.distance import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import distance
from .layer_export import export_layers

__all__ = export_layers(globals(), distance)
