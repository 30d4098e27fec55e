"""``jit.trace``: record a Module's or function's computation on example inputs as a static
graph, through the project's tracer (`static.trace`, reached by `backend.jit_backend`).

The result runs that graph, compiled (`static.compile`), with gradients reaching eager's
tape; ``.graph`` prints the graph and ``.code`` its generated Python. Python control flow
over a tensor's value cannot be recorded: PyTorch then records the branch taken and warns
(`TracerWarning`); here the same warning is given, and such calls run the Python code (so
other inputs take their own branch). ``check_trace`` runs the traced module and the Python
on the inputs and warns, as PyTorch does, when the outputs differ.

    >>> import warnings, eager
    >>> net = eager.nn.Linear(3, 1)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     traced = trace(net, eager.ones(2, 3))
    >>> print(traced)
    Linear(original_name=Linear)
    >>> bool(eager.allclose(traced(eager.ones(2, 3)), net(eager.ones(2, 3))))
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ..nn.module import Module
from .backend import jit_backend
from .markers import TracerWarning, tracing
from .script_module import MirrorModule
from .serialization import GraphFaces, module_tree

# What the tracer could not record, in PyTorch's words (its TracerWarning texts).
_CONVERSIONS = (("truth value", "a Python boolean"), ("float(x)", "a Python float"),
                ("int(x)", "a Python integer"), (".item()", "a Python number"),
                ("index", "a Python index"), (".tolist()", "a Python list"),
                (".numpy()", "a NumPy array"), ("np.asarray", "a NumPy array"))


class TracedModule(MirrorModule):
    """A submodule of a traced Module (PyTorch's TracedModule): calling it runs the original
    submodule's Python; the top level (`TopLevelTracedModule`) runs the traced graph."""

    @staticmethod
    def child_class(child: Module) -> MirrorModule:
        return TracedModule(child)

    def _get_name(self) -> str:
        return self.original_name


class TopLevelTracedModule(GraphFaces, TracedModule):
    """What ``jit.trace(module, ...)`` returns: calls run the traced graph."""

    def __init__(self, original: Module, program: Any) -> None:
        super().__init__(original)
        self.__dict__["_program"] = program

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["_program"](*args, **kwargs)

    def _tree(self) -> dict:
        return module_tree(self.__dict__["_original"])


class TracedFunction(GraphFaces):
    """What ``jit.trace(function, ...)`` returns (PyTorch's ScriptFunction): calls run the
    traced graph; ``graph``, ``code`` and ``save`` as a traced module's."""

    def __init__(self, fn: Callable, program: Any) -> None:
        self._program = program
        self.name = getattr(fn, "__name__", type(fn).__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._program(*args, **kwargs)

    def _tree(self) -> dict:
        return {"original_name": self.name, "children": {}}

    def __repr__(self) -> str:
        return f"<eager.jit.ScriptFunction object {self.name}>"


def trace(func: Any, example_inputs: Any = None, optimize: Any = None,
          check_trace: bool = True, check_inputs: list | None = None,
          check_tolerance: float = 1e-05, strict: bool = True, _force_outplace: bool = False,
          _module_class: Any = None, _compilation_unit: Any = None,
          example_kwarg_inputs: dict | None = None, _store_inputs: bool = True) -> Any:
    """``torch.jit.trace``: see the module docstring. ``example_inputs`` is a tensor or a
    tuple of them (or use ``example_kwarg_inputs``, a dict); ``check_inputs`` is a list of
    such argument tuples to check the trace on besides the example."""
    warnings.warn("`torch.jit.trace` is deprecated. Please switch to `torch.compile` or "
                  "`torch.export`.", DeprecationWarning, stacklevel=1)
    if isinstance(func, TopLevelTracedModule | TracedFunction):
        warnings.warn("The input to trace is already a ScriptModule, tracing it is a no-op. "
                      "Returning the object as is.", stacklevel=2)
        return func
    if example_inputs is None and example_kwarg_inputs is None:
        raise RuntimeError("example_kwarg_inputs or example_inputs must be provided.")
    args = _as_args(example_inputs)
    kwargs = dict(example_kwarg_inputs or {})
    with tracing():
        program = jit_backend()(func, args, kwargs)
    for graph_break in program.breaks:
        _warn_break(graph_break)
    traced = TopLevelTracedModule(func, program) if isinstance(func, Module) \
        else TracedFunction(func, program)
    if check_trace:
        for inputs in ([args] if check_inputs is None else [_as_args(c) for c in check_inputs]):
            _check(func, traced, inputs, kwargs if check_inputs is None else {},
                   check_tolerance)
    return traced


def _as_args(example: Any) -> tuple:
    if example is None:
        return ()
    return example if isinstance(example, tuple) else (example,)


def _warn_break(graph_break: Any) -> None:
    """PyTorch's TracerWarning for a value the trace could not record, at the user's line."""
    what = next((torch_words for ours, torch_words in _CONVERSIONS
                 if ours in graph_break.reason), None)
    if what is None:
        message = (f"The trace could not record this call ({graph_break.reason}); calls run "
                   "the Python code instead.")
    else:
        message = (f"Converting a tensor to {what} might cause the trace to be incorrect. We "
                   "can't record the data flow of Python values, so this value will be "
                   "treated as a constant in the future. This means that the trace might not "
                   "generalize to other inputs!")
    warnings.warn_explicit(message, TracerWarning, graph_break.filename, graph_break.lineno)


def _check(func: Any, traced: Any, inputs: tuple, kwargs: dict, tolerance: float) -> None:
    """Warn (PyTorch's text) for each output of the traced call that differs from Python's."""
    with no_grad():
        expected = func(*inputs, **kwargs)
        got = traced(*inputs, **kwargs)
    pairs = list(zip(_leaves(got), _leaves(expected), strict=False))
    for number, (ours, python) in enumerate(pairs, start=1):
        a, b = np.asarray(ours), np.asarray(python)
        if a.shape == b.shape and np.allclose(a, b, rtol=tolerance, atol=1e-5, equal_nan=True):
            continue
        worst = np.max(np.abs(a.astype(np.float64) - b)) if a.shape == b.shape else None
        detail = (f"Tensor-likes are not close!\n\nGreatest absolute difference: {worst}"
                  if worst is not None else f"The shapes differ: {a.shape} != {b.shape}")
        warnings.warn(f"Output nr {number}. of the traced function does not match the "
                      "corresponding output of the Python function. Detailed error:\n"
                      f"{detail}", TracerWarning, stacklevel=3)


def _leaves(value: Any) -> list:
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


__all__ = ["TopLevelTracedModule", "TracedFunction", "TracedModule", "trace"]
