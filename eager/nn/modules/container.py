"""``eager.nn.modules.container``: PyTorch's module path of containers, for
``from torch.nn.modules.container import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import containers, parameter_containers
from .layer_export import export_layers

__all__ = export_layers(globals(), containers, parameter_containers)
