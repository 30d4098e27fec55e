"""``static.compile``: the torch.compile-like entry point, and the graph compiler's.

``static.compile(model_or_fn, *, fullgraph=False, dynamic=None)`` takes an unchanged eager
Module or a function and returns a `CompiledModule`, traced per call signature and run as a
compiled graph whose gradients reach eager's tape (`static.compiling.compiled_module`).
``static.compile(graph, fetches, feeds, ...)`` with a static `Graph` first is the graph
compiler (`static.compiler.compile`), as before.
"""

from __future__ import annotations

from typing import Any

from ..compiler import compile as compile_graph
from ..graph import Graph
from .breaks import GraphBreak, GraphBreakError
from .compiled_module import CompiledModule

__all__ = ["CompiledModule", "GraphBreak", "GraphBreakError", "compile"]


def compile(model_or_fn: Any, *args: Any, fullgraph: bool = False,  # noqa: A001
            dynamic: bool | None = None, backend: str | None = None, mode: str | None = None,
            options: dict | None = None, disable: bool = False, **kwargs: Any) -> Any:
    """Compile a Module or function (returns a `CompiledModule`), or, given a static
    `Graph`, optimize it for ``fetches`` (`static.compiler.compile`'s arguments follow).

    ``backend``, ``mode`` and ``options`` are accepted so that a PyTorch program's call runs
    unchanged; there is one backend (the generated NumPy step) and no modes to choose.
    ``disable=True`` returns the target itself, as ``torch.compile`` does."""
    if isinstance(model_or_fn, Graph):
        return compile_graph(model_or_fn, *args, **kwargs)
    if args:
        raise TypeError(f"static.compile(model_or_fn, *, fullgraph=False, dynamic=None) takes "
                        f"one positional argument, got {1 + len(args)}")
    if disable:
        return model_or_fn
    return CompiledModule(model_or_fn, fullgraph=fullgraph, dynamic=dynamic, **kwargs)
