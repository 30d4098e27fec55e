"""``eager.nn.modules.module``: PyTorch's module path of the Module base class
(``from torch.nn.modules.module import ...`` in layers written for PyTorch) and of the global
forward and backward hooks (``register_module_forward_hook``,
``register_module_full_backward_hook``...)."""

from __future__ import annotations

from ..module import Module
from ..module_call import (
    register_module_backward_hook,
    register_module_buffer_registration_hook,
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
    register_module_module_registration_hook,
    register_module_parameter_registration_hook,
)
from ..module_state import LoadResult as _IncompatibleKeys

__all__ = ['register_module_forward_pre_hook', 'register_module_forward_hook',
           'register_module_full_backward_pre_hook', 'register_module_backward_hook',
           'register_module_full_backward_hook', 'register_module_buffer_registration_hook',
           'register_module_module_registration_hook',
           'register_module_parameter_registration_hook', 'Module', '_IncompatibleKeys']
