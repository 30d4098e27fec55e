"""``--import MODULE[:ATTR]``: load the user's models before a subcommand runs.

``MODULE`` is found like ``python -m`` finds it, the current folder included (a console
script's ``sys.path`` does not hold it). ``MODULE`` may register models itself with
``@register_model``; ``MODULE:ATTR`` also names a ``factory(dtype) -> ModelCase`` that is
registered under the name ``ATTR`` unless it already is. Names are validated as dotted
identifiers and looked up with ``getattr``: nothing the user types is evaluated.
"""

from __future__ import annotations

import importlib
import os
import sys

from .cli_common import UsageError


def _current_folder_on_path() -> None:
    # Appended, not prepended: a file in the current folder that happens to be called
    # like an installed package (numpy.py) must not shadow it.
    here = os.getcwd()
    if here not in sys.path and "" not in sys.path:
        sys.path.append(here)


def import_user_module(spec: str) -> object:
    """Import ``MODULE`` (and register ``ATTR``) for ``spec`` = ``MODULE[:ATTR]``; returns the
    module, or the attribute when one is named. A bad spec is a ``UsageError``."""
    module_name, _, attr = spec.partition(":")
    if not all(part.isidentifier() for part in module_name.split(".")):
        raise UsageError(f"dualgraph: --import {spec!r}: {module_name!r} is not a module name "
                         f"(expected MODULE or MODULE:ATTR, e.g. mymodels:tiny)")
    if attr and not attr.isidentifier():
        raise UsageError(f"dualgraph: --import {spec!r}: {attr!r} is not an attribute name")
    _current_folder_on_path()
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise UsageError(f"dualgraph: cannot import {module_name!r}: {e} "
                         f"(searched the current folder {os.getcwd()} and sys.path)") from None
    if not attr:
        return module
    try:
        target = getattr(module, attr)
    except AttributeError:
        raise UsageError(f"dualgraph: --import {spec!r}: module {module_name!r} has no "
                         f"attribute {attr!r}") from None
    _register(attr, target, spec)
    return target


def _register(name: str, target: object, spec: str) -> None:
    from .zoo import ZOO, register_model

    if any(entry.factory is target for entry in ZOO.values()):
        return  # @register_model already did it when the module was imported
    if not callable(target):
        raise UsageError(f"dualgraph: --import {spec!r}: {name} is a "
                         f"{type(target).__name__}, expected a factory(dtype) -> ModelCase")
    if name in ZOO:
        raise UsageError(f"dualgraph: --import {spec!r}: a model called {name!r} is already "
                         f"registered")
    register_model(name)(target)
