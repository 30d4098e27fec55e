"""What ``eager.jit`` (``torch.jit.trace``/``save``/``load``) gets from the static side.

Eager does not import static: this backend is registered in `shared_ops.compilers` as
``"dualgraph.jit"`` when static is imported. ``backend(target, args, kwargs=None)`` traces a
Module or function on example arguments into a `TracedProgram`: the example call's graph
(`static.trace`, each input's first dim left unknown where the code allows, so that it takes
any batch as PyTorch's traced graphs do) to print, to show as generated Python and to save,
and `static.compile`'s `CompiledModule` to run it (per call signature, with gradients
reaching eager's tape).
``backend.load(path)`` reads a saved graph back (`static.load`: JSON and ``.npz``, no code)
as a `LoadedProgram` that runs it on arrays.

    >>> import numpy as np
    >>> program = JitBackend()(lambda x: x * 2.0 + 1.0, (np.ones(2, np.float32),))
    >>> print(program.graph)
    %x: f32[?] = placeholder()             # <doctest ...>:1
    %constant: f32[] = constant(2.0)       # <doctest ...>:1
    %mul: f32[?] = mul(%x, %constant)      # <doctest ...>:1
    %constant_1: f32[] = constant(1.0)     # <doctest ...>:1
    %add: f32[?] = add(%mul, %constant_1)  # <doctest ...>:1
    >>> program.traced(np.arange(3, dtype=np.float32))
    array([1., 3., 5.], dtype=float32)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .compiler import compile as compile_graph
from .compiling import CompiledModule
from .compiling.breaks import GraphBreak, find_break
from .graph import Graph
from .serialize import load, save
from .traced import TensorSpec, is_array_like
from .tracing import Traced, trace

__all__ = ["JitBackend", "LoadedProgram", "TracedProgram"]


class _GraphView:
    """The readable faces of a `Traced`: its listing and its generated step."""

    traced: Traced | None

    @property
    def graph(self) -> Graph:
        """The traced graph (``print`` it for the listing)."""
        if self.traced is None:
            raise RuntimeError(f"no graph was traced: {self.describe_breaks()}")
        return self.traced.graph

    @property
    def code(self) -> str:
        """The graph compiled for the example's shapes, as a self-contained module."""
        graph = self.graph
        if self.__dict__.get("_code") is None:
            compiled = compile_graph(graph, list(self.traced.outputs), list(self.traced.inputs))
            self.__dict__["_code"] = compiled.readable_source
        return self.__dict__["_code"]

    def describe_breaks(self) -> str:
        return "; ".join(b.describe() for b in getattr(self, "breaks", ())) or "none"


class TracedProgram(_GraphView):
    """A Module or function traced on example arguments. Calling it runs the compiled graph
    (a call whose trace breaks on Python control flow over a tensor's value runs the Python:
    ``breaks`` says where)."""

    def __init__(self, target: Any, args: tuple, kwargs: dict | None = None) -> None:
        self.breaks: list[GraphBreak] = []
        self.traced: Traced | None = None
        try:
            self.traced = _trace_any_batch(target, args, kwargs or {})
        except Exception as e:  # noqa: BLE001 -- anything but a break is re-raised
            graph_break = find_break(e)
            if graph_break is None:
                raise
            self.breaks.append(graph_break)
        self.compiled = CompiledModule(target)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled(*args, **kwargs)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the graph and the parameters' current values (`static.save`)."""
        if self.traced is None:
            raise RuntimeError(f"nothing to save: no graph was traced ({self.describe_breaks()})")
        return save(self.traced, path)


class LoadedProgram(_GraphView):
    """A saved traced graph read back: calling it on arrays returns the outputs' arrays."""

    def __init__(self, traced: Traced) -> None:
        self.traced = traced
        self.breaks: list[GraphBreak] = []

    def __call__(self, *arrays: Any) -> Any:
        return self.traced(*[np.asarray(a) for a in arrays])

    def variables(self) -> list[tuple[str, np.ndarray, bool]]:
        """``(name, array, trainable)`` of each variable: the arrays the graph reads, so that
        writing into them changes what it computes."""
        return [(n.name, n.value, bool(n.attrs.get("trainable", True)))
                for n in self.traced.variables]

    def save(self, path: str | os.PathLike) -> Path:
        return save(self.traced, path)


def _trace_any_batch(target: Any, args: tuple, kwargs: dict) -> Traced:
    """The trace with every array argument's first dim unknown, so that the graph (and a
    loaded copy of it) takes any batch size as PyTorch's traced graphs do; the exact shapes
    where the code needs a known first dim."""
    def general(value: Any) -> Any:
        if is_array_like(value) and len(value.shape) >= 1:
            return TensorSpec((None, *value.shape[1:]), np.dtype(value.dtype))
        return value

    try:
        return trace(target, *[general(a) for a in args],
                     **{k: general(v) for k, v in kwargs.items()})
    except Exception:  # noqa: BLE001 -- the exact shapes say what is wrong, if anything
        return trace(target, *args, **kwargs)


class JitBackend:
    """``backend(target, args, kwargs=None)`` traces (a `TracedProgram`);
    ``backend.load(path)`` reads a saved one (a `LoadedProgram`)."""

    def __call__(self, target: Any, args: tuple, kwargs: dict | None = None) -> TracedProgram:
        return TracedProgram(target, args, kwargs)

    def load(self, path: str | os.PathLike) -> LoadedProgram:
        loaded = load(path)
        if not isinstance(loaded, Traced):
            raise RuntimeError(f"jit.load: {path} holds a graph, not a traced module "
                               "(it was saved by static.save, not jit.save)")
        return LoadedProgram(loaded)
