"""How each ``eager.nn.modules`` submodule gathers its layers: from the eager files that
define them, every public Module subclass each file defines (so a layer added to one of those
files appears at its PyTorch path too; tests/eager/nn_module2/test_module_paths.py holds each
submodule to torch's)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from ..module import Module

__all__ = ["export_layers"]


def export_layers(namespace: dict, *sources: ModuleType,
                  where: Callable[[str], bool] | None = None) -> list[str]:
    """Bind in ``namespace`` the public Module subclasses defined in ``sources`` (only those
    whose name ``where`` accepts, when given) and return their names, for ``__all__``."""
    names = []
    for source in sources:
        for name, value in vars(source).items():
            if name.startswith("_") or (where is not None and not where(name)):
                continue
            if isinstance(value, type) and issubclass(value, Module) and \
                    value.__module__ == source.__name__:
                namespace[name] = value
                names.append(name)
    return names
