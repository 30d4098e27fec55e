"""``eager.nn.modules.lazy``: PyTorch's module path of the lazy-module mixin
(``from torch.nn.modules.lazy import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..lazy import LazyModuleMixin

__all__ = ['LazyModuleMixin']
