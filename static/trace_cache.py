"""`function`: tf.function for dualgraph. Trace once per input signature, run the graph after.

A `Function` wraps a Python function or Module. Called with arrays, it looks up the trace for
the call's signature (each array argument's shape and dtype, and the value of every other
argument), traces on a miss, and runs the graph through a `Session` kept with the trace.
Every trace is written to a `TraceLedger` with the reason it happened and what it cost:

  >>> f = function(model)                                  # doctest: +SKIP
  >>> f(xb); f(xb); f(xb[:3]); f(eager.tensor(xb))        # doctest: +SKIP
  >>> print(f.ledger)                                      # doctest: +SKIP
  TraceLedger(SimpleNet): 2 traces, 4 calls (2 hits, 2 misses)
     #  signature       reason                       trace ms  compile ms  1st run ms  nodes  calls
     1  (x: f32[4,10])  first call                       0.73        0.01        0.37     12      3
     2  (x: f32[3,10])  x: shape (4, 10) -> (3, 10)      0.55        0.00        0.16     12      1

``input_signature=[TensorSpec((None, 10))]`` traces once for every batch size instead.
"""

from __future__ import annotations

import time
import types
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .builder import placeholder
from .graph import Graph, Node
from .session import Session
from .trace_ledger import TraceLedger, TraceRecord, signature_of, why
from .tracing import (
    Traced,
    as_spec,
    call_traced,
    captured,
    flatten,
    input_names,
    is_array_like,
    output_nodes,
    side_effects,
    target_of,
    trace,
    unflatten,
)

# ---------------------------------------------------------------------------------------------
# Function


@dataclass
class _Entry:
    traced: Traced
    template: Any
    session: Session
    record: TraceRecord


class Function:
    """A Python function or Module, traced per input signature and run as a static graph."""

    def __init__(self, fn: Any, input_signature: Sequence[Any] | None = None,
                 executor: str | Callable = "interpret"):
        self._target = fn
        self.fn, self._params = target_of(fn)
        self.name = getattr(fn, "__qualname__", None) or type(fn).__name__
        self.input_signature = None if input_signature is None else \
            [as_spec(s) for s in input_signature]
        self.executor = executor
        self.ledger = TraceLedger(self.name)
        self._cache: dict[tuple, _Entry] = {}
        self._fast: dict[tuple, _Entry] = {}  # (shape, dtype) per array argument -> entry
        self._names: dict[int, list[str]] = {}  # argument count -> parameter names
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"<static.function {self.name}: {self.ledger.traces} traces>"

    def __get__(self, obj: Any, objtype: type | None = None) -> Function:
        """``@function`` on a method: one Function per instance, capturing its parameters."""
        if obj is None:
            return self
        bound = self._bound.get(obj)
        if bound is None:
            bound = Function(types.MethodType(self._target, obj),
                             self.input_signature, self.executor)
            self._bound[obj] = bound
        return bound

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run on arrays (returns arrays); called on Nodes while building a graph, inline the
        function into that graph instead and return its output nodes (as `trace` does)."""
        # Fast path for the steady state (only arrays, positionally): shapes and dtypes alone
        # find the trace, skipping the general signature's flattening and labelling.
        fast = None
        if not kwargs and all(type(a) is np.ndarray for a in args):
            fast = tuple((a.shape, a.dtype) for a in args)
            entry = self._fast.get(fast)
            if entry is not None:
                self.ledger.hits += 1
                entry.record.calls += 1
                return self._run(entry, args)
        leaves: list[Any] = []
        flatten((args, dict(sorted(kwargs.items()))), leaves)
        if any(isinstance(leaf, Node) for leaf in leaves):
            return trace(self._target, *args, **kwargs)
        entry = self._entry(args, kwargs)
        if fast is not None:
            self._fast[fast] = entry
        return self._run(entry, [a for a in leaves if is_array_like(a)])

    def _run(self, entry: _Entry, arrays: Sequence[Any]) -> Any:
        feeds = {n: np.asarray(a) for n, a in zip(entry.traced.inputs, arrays, strict=True)}
        fetches = [*entry.traced.outputs, *entry.traced.effects]
        if entry.record.first_run_ms is None:
            start = time.perf_counter()
            values = entry.session.run(fetches, feeds)
            entry.record.first_run_ms = (time.perf_counter() - start) * 1e3
        else:
            values = entry.session.run(fetches, feeds)
        values = values[:len(entry.traced.outputs)]
        return unflatten(entry.template, iter(values))

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> Traced:
        """The `Traced` graph these arguments run (tracing now if needed; counts as a call)."""
        return self._entry(args, kwargs).traced

    def _entry(self, args: tuple, kwargs: dict) -> _Entry:
        names = self._names.get(len(args))
        if names is None:
            names = self._names[len(args)] = input_names(self.fn, len(args))
        key = signature_of(names, args, kwargs, self.input_signature)
        entry = self._cache.get(key)
        if entry is not None:
            self.ledger.hits += 1
            entry.record.calls += 1
            return entry
        reason = why(key, list(self._cache))
        entry = self._trace(key, args, kwargs, reason)
        self._cache[key] = entry
        self.ledger.misses += 1
        self.ledger.records.append(entry.record)
        entry.record.calls += 1
        return entry

    def _trace(self, key: tuple, args: tuple, kwargs: dict, reason: str) -> _Entry:
        start = time.perf_counter()
        graph = Graph()
        arg_leaves = iter(key[1])
        inputs = []

        def symbolic(leaf: Any) -> Any:
            spec = next(arg_leaves)
            if spec.shape is None:
                return leaf
            node = placeholder(spec.shape, spec.dtype, name=spec.name.split("[")[0])
            inputs.append(node)
            return node

        with graph.as_default():
            leaves: list[Any] = []
            template = flatten((args, dict(sorted(kwargs.items()))), leaves)
            sym_args, sym_kwargs = unflatten(template, iter([symbolic(x) for x in leaves]))
            with captured(graph, self._params):
                out = call_traced(self.fn, tuple(sym_args), sym_kwargs)
            out_leaves: list[Any] = []
            out_template = flatten(out, out_leaves)
            outputs = output_nodes(graph, out)
        traced = Traced(graph, tuple(inputs), outputs, tuple(graph.variables()),
                        side_effects(graph, outputs))
        trace_ms = (time.perf_counter() - start) * 1e3
        # Compile = making the session's executor (a codegen executor plans here); the first
        # run's plan building shows up in the first call instead.
        start = time.perf_counter()
        session = Session(graph, executor=self.executor)
        compile_ms = (time.perf_counter() - start) * 1e3
        signature = "(" + ", ".join(a.describe() for a in key[1]) + ")"
        record = TraceRecord(signature, reason, trace_ms, compile_ms, len(graph.nodes))
        return _Entry(traced, out_template, session, record)


def function(fn: Any = None, *, input_signature: Sequence[Any] | None = None,
             executor: str | Callable = "interpret") -> Function | Callable[[Any], Function]:
    """Wrap ``fn`` (a function or Module) as a `Function` (usable as ``@function``)."""
    if fn is None:
        return lambda f: Function(f, input_signature, executor)
    return Function(fn, input_signature, executor)
