"""``eager.nn.modules.batchnorm``: PyTorch's module path of batch normalization, for
``from torch.nn.modules.batchnorm import ...`` in layers written for PyTorch."""

from __future__ import annotations

from .. import batchnorm
from ..batchnorm import _BatchNorm
from ..lazy import LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d
from ..parallel.sync_batchnorm import SyncBatchNorm
from .layer_export import export_layers

__all__ = export_layers(globals(), batchnorm)
__all__ += ["_BatchNorm", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "SyncBatchNorm"]
