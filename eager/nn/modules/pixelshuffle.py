"""``eager.nn.modules.pixelshuffle``: PyTorch's module path of pixel shuffling
(``from torch.nn.modules.pixelshuffle import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..upsampling import PixelShuffle, PixelUnshuffle

__all__ = ['PixelShuffle', 'PixelUnshuffle']
