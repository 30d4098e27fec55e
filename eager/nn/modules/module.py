"""``eager.nn.modules.module``: PyTorch's module path of the Module base class
(``from torch.nn.modules.module import ...`` in layers written for PyTorch) and of the global
forward hooks (``register_module_forward_hook``, ``register_module_forward_pre_hook``)."""

from __future__ import annotations

from ..module import Module
from ..module_call import register_module_forward_hook, register_module_forward_pre_hook
from ..module_state import LoadResult as _IncompatibleKeys

__all__ = ['register_module_forward_pre_hook', 'register_module_forward_hook', 'Module',
           '_IncompatibleKeys']
