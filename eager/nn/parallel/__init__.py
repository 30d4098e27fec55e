"""``eager.nn.parallel``: PyTorch's data-parallel wrappers, as they behave on a machine with
no accelerator (eager's only kind).

`DataParallel` then just calls the module it wraps (``model.module``), so a program that wraps
its model unconditionally runs unchanged and saves ``module.``-prefixed state dict keys, as it
did under torch. `DistributedDataParallel` needs an initialised process group, which eager
cannot form (``eager.distributed.is_available()`` is False): it raises torch's error.

    >>> import eager.nn as nn
    >>> model = nn.DataParallel(nn.Linear(2, 1))
    >>> list(model.state_dict())
    ['module.weight', 'module.bias']
"""

from __future__ import annotations

from typing import Any

from ...distributed import NOT_INITIALIZED
from ..module import Module

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)``: with no
    accelerator, ``forward`` calls ``module`` and ``device_ids`` is empty (PyTorch's CPU
    behaviour)."""

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None,
                 dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)


class DistributedDataParallel(Module):
    """Raises torch's ValueError at construction: no process group is initialised (nor can
    one be, see `eager.distributed`)."""

    def __init__(self, module: Module, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        raise ValueError(NOT_INITIALIZED)


def data_parallel(module: Module, inputs: Any, device_ids: Any = None, output_device: Any = None,
                  dim: int = 0, module_kwargs: Any = None) -> Any:
    """Raises PyTorch's RuntimeError on a machine without an accelerator."""
    raise RuntimeError("device type could not be determined")
