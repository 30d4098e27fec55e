"""``eager.nn.modules.module``: PyTorch's module path of the Module base class
(``from torch.nn.modules.module import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..module import Module
from ..module_state import LoadResult as _IncompatibleKeys

__all__ = ['Module', '_IncompatibleKeys']
