"""``eager.jit``, ``torch.jit``: tracing to a graph, and TorchScript's names as they behave in
an eager program.

* `trace` records a Module's or function's computation on example inputs as a static graph
  (the project's tracer, `static.trace`) and returns a module or function that runs it,
  compiled, with ``.graph`` (the listing) and ``.code`` (the generated Python);
* `save` and `load` write and read that graph as data (`static.save`'s checked format inside
  one file): no code runs on load;
* `script` compiles nothing: it returns a wrapper that runs the Python code (``.code`` is that
  source), so a scripted program computes what it did before; ``is_scripting()`` is False;
* `ignore`, `unused`, `export`, `annotate`, `Final`, `fork`/`wait` behave as in eager PyTorch.
"""

from __future__ import annotations

import warnings
from typing import Any

from .markers import (
    Attribute,
    Error,
    Final,
    Future,
    TracerWarning,
    TracingCheckError,
    annotate,
    export,
    fork,
    ignore,
    interface,
    is_scripting,
    is_tracing,
    script_if_tracing,
    script_method,
    unused,
    wait,
)
from .script_module import ScriptedModule, ScriptFunction, ScriptModule
from .serialization import load, save
from .tracing import TopLevelTracedModule, TracedModule, trace

RecursiveScriptModule = ScriptedModule


def script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None,
           example_inputs: Any = None) -> Any:
    """``torch.jit.script``: NOT a compiler here. A Module comes back as a `ScriptedModule`
    (PyTorch's RecursiveScriptModule: same parameters, PyTorch's printing) whose calls run
    its Python ``forward``; a function as a `ScriptFunction` calling it; a ScriptModule or a
    class as it is. ``.code`` shows the Python source that runs."""
    warnings.warn("`torch.jit.script` is deprecated. Please switch to `torch.compile` or "
                  "`torch.export`.", DeprecationWarning, stacklevel=1)
    if isinstance(obj, ScriptModule | ScriptFunction | type):
        return obj
    from ..nn.module import Module

    if isinstance(obj, Module):
        return ScriptedModule(obj)
    if callable(obj):
        return ScriptFunction(obj)
    raise RuntimeError(f"jit.script: cannot script a {type(obj).__name__}")


def freeze(mod: Any, preserved_attrs: list | None = None, optimize_numerics: bool = True) -> Any:
    """``torch.jit.freeze``: checks as PyTorch's (a ScriptModule, in eval mode), then the
    module itself: nothing here is compiled further by freezing."""
    warnings.warn("`torch.jit.freeze` is deprecated. Please use `torch.compile` instead.",
                  DeprecationWarning, stacklevel=1)
    if not isinstance(mod, ScriptModule):
        raise RuntimeError("Freezing expects a ScriptModule as input. Please use "
                           "torch.jit.script or torch.jit.trace to script your 'nn.Module'.")
    if mod.training:
        raise RuntimeError("Freezing is currently only implemented for modules in eval mode. "
                           "Please call .eval() on your module before freezing.")
    return mod


def optimize_for_inference(mod: Any, other_methods: list | None = None) -> Any:
    """``torch.jit.optimize_for_inference``: the module itself."""
    warnings.warn("`torch.jit.optimize_for_inference` is deprecated. Please use "
                  "`torch.compile` instead.", DeprecationWarning, stacklevel=1)
    return mod


__all__ = ["Attribute", "Error", "Final", "Future", "RecursiveScriptModule", "ScriptFunction",
           "ScriptModule", "TopLevelTracedModule", "TracedModule", "TracerWarning",
           "TracingCheckError", "annotate", "export", "fork", "freeze", "ignore", "interface",
           "is_scripting", "is_tracing", "load", "optimize_for_inference", "save", "script",
           "script_if_tracing", "script_method", "trace", "unused", "wait"]
