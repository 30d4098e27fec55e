"""``eager.nn.modules.upsampling``: PyTorch's module path of upsampling layers
(``from torch.nn.modules.upsampling import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = ['Upsample', 'UpsamplingBilinear2d', 'UpsamplingNearest2d']
