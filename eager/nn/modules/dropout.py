"""``eager.nn.modules.dropout``: PyTorch's module path of dropout layers
(``from torch.nn.modules.dropout import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..dropout import (
    AlphaDropout,
    Dropout,
    Dropout1d,
    Dropout2d,
    Dropout3d,
    FeatureAlphaDropout,
    _DropoutNd,
)

__all__ = ['AlphaDropout', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'FeatureAlphaDropout',
           '_DropoutNd']
