"""``eager.nn.modules.batchnorm``: PyTorch's module path of batch normalization
(``from torch.nn.modules.batchnorm import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d, _BatchNorm
from ..lazy import LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d
from ..parallel.sync_batchnorm import SyncBatchNorm

__all__ = ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', '_BatchNorm', 'LazyBatchNorm1d',
           'LazyBatchNorm2d', 'LazyBatchNorm3d', 'SyncBatchNorm']
