"""``skip_init`` (``torch.nn.utils.init``): make a module without initializing it.

PyTorch builds the module on the "meta" device (nothing is computed, nothing drawn from the
generator) and then gives it empty storage. Eager has no meta device: it builds the module
normally and puts the generator back where it was, so the random stream goes on exactly as
under PyTorch; the values are left zero (uninitialized memory may hold anything, and the
caller initializes them).

    >>> import eager.nn as nn
    >>> layer = skip_init(nn.Linear, 3, 2)
    >>> float(layer.weight.abs().sum())
    0.0
"""

from __future__ import annotations

import inspect
from typing import Any

import eager

from ..module import Module

__all__ = ["skip_init"]


def skip_init(module_cls: type, *args: Any, **kwargs: Any) -> Module:
    """``module_cls(*args, **kwargs)`` with its parameters and buffers left uninitialized
    (the class must take a ``device`` argument, as PyTorch requires)."""
    if not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    state = eager.get_rng_state()
    try:
        module = module_cls(*args, **kwargs)
    finally:
        eager.set_rng_state(state)
    with eager.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            t.zero_()
    return module
