"""``eager.nn.modules.dropout``: PyTorch's module path of dropout layers, for
``from torch.nn.modules.dropout import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import dropout
from ..dropout import _DropoutNd
from .layer_export import export_layers

__all__ = export_layers(globals(), dropout)
__all__ += ["_DropoutNd"]
