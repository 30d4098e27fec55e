"""``eager.compile``, ``torch.compile``: what programs that call it get here.

PyTorch's default backend generates fused kernels; its ``backend="eager"`` runs the model as
written. Eager mode here has no kernel generator of its own, so the default (and ``"eager"``,
``"aot_eager"``, ``"inductor"``) is that plain form: the model wrapped in an `OptimizedModule`
whose state-dict keys carry PyTorch's ``_orig_mod.`` prefix, computing the same numbers as the
model itself. ``backend="dualgraph"`` hands the model to the static graph compiler
(``static.compile``), which registers that name when ``static`` is imported (eager does not
import static: `shared_ops.compilers` is the seam).

    >>> import eager
    >>> compiled = eager.compile(eager.nn.Linear(2, 1))
    >>> list(compiled.state_dict())
    ['_orig_mod.weight', '_orig_mod.bias']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from shared_ops.compilers import lookup_compiler, registered_compilers

from .nn.module import Module

_PLAIN_BACKENDS = (None, "inductor", "eager", "aot_eager")

__all__ = ["compile", "OptimizedModule"]


class OptimizedModule(Module):
    """A compiled Module: calls ``_orig_mod`` (the model given to ``compile``), and reads
    attributes it does not have from it, as PyTorch's wrapper does."""

    def __init__(self, mod: Module) -> None:
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._orig_mod(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["_orig_mod"], name)


def compile(model: Callable | None = None, *, fullgraph: bool = False,  # noqa: A001
            dynamic: bool | None = None, backend: str | Callable | None = None,
            mode: str | None = None, options: dict | None = None, name: str | None = None,
            disable: bool = False, recompile_limit: int | None = None,
            isolate_recompiles: bool = False, shapes_spec: Any = None) -> Any:
    """``torch.compile(model, ...)``: see the module docstring for the backends. Without a
    model, a decorator; ``disable=True`` returns the model itself. ``mode``, ``options``,
    ``name``, ``recompile_limit``, ``isolate_recompiles`` and ``shapes_spec`` tune PyTorch's
    kernel generator, which the plain backends do not have: they are accepted and unused."""
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic,
                                 backend=backend, mode=mode, options=options, name=name,
                                 disable=disable, recompile_limit=recompile_limit,
                                 isolate_recompiles=isolate_recompiles, shapes_spec=shapes_spec)
    if disable:
        return model
    if callable(backend):
        raise NotImplementedError("compile(backend=<callable>): a backend function receives a "
                                  "torch.fx graph, which eager does not make")
    if backend not in _PLAIN_BACKENDS:
        compiler = lookup_compiler(backend)
        if compiler is None:
            known = ", ".join(repr(b) for b in _PLAIN_BACKENDS[1:] + ("dualgraph",))
            raise RuntimeError(f"compile: backend {backend!r} is not available (known: "
                               f"{known}; 'dualgraph' is registered by importing static; "
                               f"registered now: {registered_compilers()})")
        return compiler(model, fullgraph=fullgraph, dynamic=dynamic)
    if isinstance(model, Module):
        return OptimizedModule(model)
    return functools.wraps(model)(lambda *args, **kw: model(*args, **kw))
