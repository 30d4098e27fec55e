"""Where `eager.jit` finds the graph tracer: the static package's ``"dualgraph.jit"``, looked
up in `shared_ops.compilers` (the seam through which `eager.compile` reaches static too).

Static registers it when imported. A program that imports only eager (``import eager as
torch``) has not imported static, so the first ``jit.trace``/``jit.load`` loads the static
package by name, through `importlib`, on demand: eager's modules import nothing of static's,
and ``import eager`` alone never loads it.
"""

from __future__ import annotations

import importlib
from typing import Any

from shared_ops.compilers import lookup_compiler

_NAME = "dualgraph.jit"
_PROVIDER = "static"  # the package that registers _NAME when imported


def jit_backend() -> Any:
    """The registered backend: ``backend(target, args, kwargs)`` traces, ``backend.load``."""
    backend = lookup_compiler(_NAME)
    if backend is None:
        importlib.import_module(_PROVIDER)
        backend = lookup_compiler(_NAME)
    if backend is None:
        raise RuntimeError(f"jit: no graph tracer is registered as {_NAME!r} (the static "
                           "package registers it when imported)")
    return backend


__all__ = ["jit_backend"]
