"""``eager.nn.modules.instancenorm``: PyTorch's module path of instance normalization
(``from torch.nn.modules.instancenorm import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..instance_norm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, _InstanceNorm

__all__ = ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', '_InstanceNorm']
