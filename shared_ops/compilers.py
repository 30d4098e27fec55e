"""Model compilers by name: the seam through which ``eager.compile`` (``torch.compile``)
reaches a compiler without importing one. The static package registers its own, named
``"dualgraph"``, when it is imported; eager never imports static.

    >>> register_compiler("identity", lambda model, **options: model)
    >>> lookup_compiler("identity")(abs)(-2)
    2
"""

from __future__ import annotations

from collections.abc import Callable

_COMPILERS: dict[str, Callable] = {}


def register_compiler(name: str, compile_fn: Callable) -> None:
    """Make ``compile_fn(model, **options)`` the compiler called ``name``."""
    _COMPILERS[name] = compile_fn


def lookup_compiler(name: str) -> Callable | None:
    """The compiler registered as ``name``, or None."""
    return _COMPILERS.get(name)


def registered_compilers() -> list[str]:
    """The names registered so far, sorted."""
    return sorted(_COMPILERS)


__all__ = ["register_compiler", "lookup_compiler", "registered_compilers"]
