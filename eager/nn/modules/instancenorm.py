"""``eager.nn.modules.instancenorm``: PyTorch's module path of instance normalization, for
``from torch.nn.modules.instancenorm import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import instance_norm
from ..instance_norm import _InstanceNorm
from .layer_export import export_layers

__all__ = export_layers(globals(), instance_norm)
__all__ += ["_InstanceNorm"]
