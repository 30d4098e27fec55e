"""``eager.nn.modules.container``: PyTorch's module path of containers
(``from torch.nn.modules.container import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..containers import ModuleDict, ModuleList, Sequential
from ..parameter_containers import ParameterDict, ParameterList

__all__ = ['ModuleDict', 'ModuleList', 'Sequential', 'ParameterDict', 'ParameterList']
