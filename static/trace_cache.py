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

At most ``max_traces`` traces are kept (default 64, `static.lru`; ``f.max_traces`` changes
it): the least recently used goes, with its Session and plans, and the ledger records the
eviction (as it records each plan or compiled step a trace's Session evicts), so a retrace
of an evicted signature reads ``evicted before`` in its reason column.

``shape_policy=`` chooses how varying shapes share traces (see `static.shape_policy`):
``"exact"`` traces per shape, ``"dynamic"`` once with unknown dims, ``Buckets([...])`` once
per bucket, padding the variable axis and passing ``lengths=`` to the function. Runs are timed,
so ``f.ledger.payback(eager_step_seconds)`` says after how many calls tracing and compiling
paid for themselves against running the same step eagerly.
"""

from __future__ import annotations

import functools
import time
import types
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .builder import placeholder
from .config import config
from .graph import Graph, Node
from .lru import LRU, MAX_TRACES, check_limit
from .method_binding import bind
from .retracing import RetraceWatch
from .session import Session
from .shape_policy import ShapePolicy, as_policy
from .trace_captures import capture_outside, run_eagerly, stale_reason
from .trace_ledger import EVICTED_REASON, TraceLedger, TraceRecord
from .trace_signature import signature_of, why
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


# Fast-path keys kept (concrete shapes -> trace): under a dynamic policy many shapes share a
# trace, and a key per shape ever seen must not accumulate.
_MAX_FAST_KEYS = 256


@dataclass
class _Entry:
    traced: Traced
    template: Any
    session: Session
    record: TraceRecord
    key: tuple  # its key in the trace cache
    number: int  # the trace's row in the ledger (1-based)
    # (object, variable) per captured parameter: the variable shares the object's storage,
    # until someone rebinds the object's array (then the trace is stale: `stale_reason`).
    shared: tuple = ()


class Function:
    """A Python function or Module, traced per input signature and run as a static graph."""

    def __init__(self, fn: Any, input_signature: Sequence[Any] | None = None,
                 executor: str | Callable = "compiled",
                 shape_policy: str | ShapePolicy = "exact", max_traces: int = MAX_TRACES):
        self._target = fn
        self.fn, self._params = target_of(fn)
        self.name = getattr(fn, "__qualname__", None) or type(fn).__name__
        self.input_signature = None if input_signature is None else \
            [as_spec(s) for s in input_signature]
        self.executor = executor
        self.shape_policy = as_policy(shape_policy)
        if input_signature is not None and self.shape_policy.name != "exact":
            raise ValueError("static.function: give either an input_signature or a "
                             "shape_policy other than 'exact', not both")
        self.ledger = TraceLedger(self.name, policy=repr(self.shape_policy))
        self._cache = LRU(max_traces, "max_traces")
        self._fast = LRU(_MAX_FAST_KEYS)  # (shape, dtype) per array argument -> entry
        # Signatures evicted from `_cache` -> their trace number, for the retrace's reason.
        self._evicted = LRU(max_traces, "max_traces")
        self._names: dict[int, list[str]] = {}  # argument count -> parameter names
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._retraces = RetraceWatch(
            f"static.function {self.name}",
            "give input_signature=[TensorSpec((None, ...))] or shape_policy='dynamic' so that "
            "varying sizes share a trace, and pass values that vary as arrays, not Python "
            "numbers")
        self._warned_frozen: set[str] = set()

    @property
    def max_traces(self) -> int:
        """How many traces are kept (least recently used out first; see `static.lru`)."""
        return self._cache.limit

    @max_traces.setter
    def max_traces(self, limit: int) -> None:
        check_limit(limit, "max_traces")
        self._evicted.resize(limit)
        self._dropped(self._cache.resize(limit))

    def __repr__(self) -> str:
        return f"<static.function {self.name}: {self.ledger.traces} traces>"

    def __get__(self, obj: Any, objtype: type | None = None) -> Function:
        """``@function`` on a method: one Function per instance, capturing its parameters."""
        if obj is None:
            return self
        # The per-instance Function holds ``obj`` weakly (see method_binding: a strong
        # reference from this cache's value would keep every instance alive for good).
        return bind(self._bound, obj, lambda method: Function(
            method, self.input_signature, self.executor, self.shape_policy,
            self.max_traces), self._target)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run on arrays (returns arrays); called on Nodes while building a graph, inline the
        function into that graph instead and return its output nodes (as `trace` does)."""
        if config.functions_run_eagerly():
            return run_eagerly(self.fn, f"static.function {self.name}", args, kwargs)
        cut = None
        if type(self.shape_policy).prepare is not ShapePolicy.prepare \
                and not _has_nodes(args, kwargs):
            args, kwargs, cut = self.shape_policy.prepare(self._names_for(len(args)), args,
                                                          kwargs)
        # Fast path for the steady state (only arrays, positionally): shapes and dtypes alone
        # find the trace, skipping the general signature's flattening and labelling.
        fast = entry = None
        if not kwargs and all(type(a) is np.ndarray for a in args):
            fast = tuple((a.shape, a.dtype) for a in args)
            entry = self._fast.get(fast)
            if entry is not None and entry.shared and stale_reason(entry.shared) is not None:
                entry = None  # the general path below retraces it, saying why
            if entry is not None:
                self._cache.move_to_end(entry.key)  # a trace in use is not the one to evict
                self.ledger.hits += 1
                entry.record.calls += 1
                arrays: Sequence[Any] = args
        if entry is None:
            leaves: list[Any] = []
            flatten((args, dict(sorted(kwargs.items()))), leaves)
            if any(isinstance(leaf, Node) for leaf in leaves):
                return trace(self._target, *args, **kwargs)
            entry = self._entry(args, kwargs)
            if fast is not None:
                self._fast.add(fast, entry)
            arrays = [a for a in leaves if is_array_like(a)]
        if cut is not None:
            entry.record.padded(*cut)
        return self.shape_policy.finish(self._run(entry, arrays), cut)

    def _run(self, entry: _Entry, arrays: Sequence[Any]) -> Any:
        feeds = {n: np.asarray(a) for n, a in zip(entry.traced.inputs, arrays, strict=True)}
        fetches = [*entry.traced.outputs, *entry.traced.effects]
        start = time.perf_counter()
        values = entry.session.run(fetches, feeds)
        entry.record.ran((time.perf_counter() - start) * 1e3)
        values = values[:len(entry.traced.outputs)]
        return unflatten(entry.template, iter(values))

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> Traced:
        """The `Traced` graph these arguments run (tracing now if needed; counts as a call)."""
        args, kwargs, _ = self.shape_policy.prepare(self._names_for(len(args)), args, kwargs)
        return self._entry(args, kwargs).traced

    def _names_for(self, n: int) -> list[str]:
        names = self._names.get(n)
        if names is None:
            names = self._names[n] = input_names(self.fn, n)
        return names

    def _entry(self, args: tuple, kwargs: dict) -> _Entry:
        concrete = signature_of(self._names_for(len(args)), args, kwargs, self.input_signature)
        # The policy decides which dims key the cache (dynamic: none of the chosen axes).
        key = (concrete[0], tuple(self.shape_policy.generalize(a) for a in concrete[1]))
        entry = self._cache.get(key)
        stale = None if entry is None or not entry.shared else stale_reason(entry.shared)
        if stale is not None:  # a parameter's array was replaced: trace again over the new one
            self._forget(key, entry)
            entry = None
        if entry is not None:
            self.ledger.hits += 1
            entry.record.calls += 1
            entry.record.shapes.add(concrete[1])
            return entry
        number = self._evicted.pop(key, None)
        reason = stale or (why(key, list(self._cache)) if number is None else
                           f"{EVICTED_REASON} (trace {number}, max_traces={self.max_traces})")
        entry = self._trace(key, args, kwargs, reason)
        self.ledger.misses += 1
        self.ledger.records.append(entry.record)
        self._retraces.traced(self.ledger.traces, reason)
        entry.record.calls += 1
        entry.record.shapes.add(concrete[1])
        self._dropped(self._cache.add(key, entry))
        return entry

    def _forget(self, key: tuple, entry: _Entry) -> None:
        """Drop a stale trace (not an eviction: the retrace's reason says why)."""
        self._cache.pop(key, None)
        for fast in [k for k, e in self._fast.items() if e is entry]:
            del self._fast[fast]

    def _outside(self) -> list[tuple[str, Any]]:
        """Parameters to capture: the Module's (or the method's instance's), or for a plain
        function what it reads through closures and globals (`capture_outside`)."""
        fn = self.fn
        if self._params or not isinstance(getattr(fn, "__func__", fn), types.FunctionType):
            return self._params
        return capture_outside(fn, f"static.function {self.name}", self.ledger,
                               self._warned_frozen)

    def _dropped(self, evicted: list[tuple[tuple, _Entry]]) -> None:
        """Forget evicted traces (their Sessions and plans go with them) and record each."""
        for key, entry in evicted:
            self.ledger.record_eviction("trace", entry.record.signature, entry.number,
                                        f"max_traces={self.max_traces}")
            self._evicted.add(key, entry.number)
            for fast in [k for k, e in self._fast.items() if e is entry]:
                del self._fast[fast]

    def _trace(self, key: tuple, args: tuple, kwargs: dict, reason: str) -> _Entry:
        start = time.perf_counter()
        graph = Graph()
        arg_leaves = iter(key[1])
        inputs = []

        slots = []  # which leaves of the arguments are inputs

        def symbolic(i: int, leaf: Any) -> Any:
            spec = next(arg_leaves)
            if spec.shape is None:
                return leaf
            node = placeholder(spec.shape, spec.dtype, name=spec.name.split("[")[0])
            slots.append(i)
            inputs.append(node)
            return node

        with graph.as_default():
            leaves: list[Any] = []
            template = flatten((args, dict(sorted(kwargs.items()))), leaves)
            sym_args, sym_kwargs = unflatten(template, iter([symbolic(i, x)
                                                             for i, x in enumerate(leaves)]))
            params = self._outside()
            with captured(graph, params) as variables:
                out = call_traced(self.fn, tuple(sym_args), sym_kwargs)
            out_leaves: list[Any] = []
            out_template = flatten(out, out_leaves)
            outputs = output_nodes(graph, out)
        traced = Traced(graph, tuple(inputs), outputs, tuple(graph.variables()),
                        side_effects(graph, outputs), template, tuple(slots), out_template)
        trace_ms = (time.perf_counter() - start) * 1e3
        # Compile = making the session's executor (a codegen executor plans here); the first
        # run's plan building shows up in the first call instead.
        start = time.perf_counter()
        session = Session(graph, executor=self.executor)
        compile_ms = (time.perf_counter() - start) * 1e3
        signature = "(" + ", ".join(a.describe() for a in key[1]) + ")"
        record = TraceRecord(signature, reason, trace_ms, compile_ms, len(graph.nodes))
        number = self.ledger.traces + 1
        if hasattr(session.executor, "on_evict"):  # plans and steps its caches evict
            # The ledger, not self: the Session must not refer back to its Function.
            session.executor.on_evict = functools.partial(_record_eviction, self.ledger,
                                                          number)
        shared = tuple((obj, var) for (_, obj), var in zip(params, variables, strict=True))
        return _Entry(traced, out_template, session, record, key, number, shared)


def function(fn: Any = None, *, input_signature: Sequence[Any] | None = None,
             executor: str | Callable = "compiled",
             shape_policy: str | ShapePolicy = "exact",
             max_traces: int = MAX_TRACES) -> Function | Callable[[Any], Function]:
    """Wrap ``fn`` (a function or Module) as a `Function` (usable as ``@function``).

    ``shape_policy``: ``"exact"`` (a trace per input shape), ``"dynamic"`` (one trace with
    unknown dims) or ``static.Buckets(sizes, axis=1, lengths="lengths")`` (pad to the next
    bucket, one trace per bucket, the true lengths passed as ``lengths=``). ``max_traces``:
    how many traces are kept, least recently used out first (each eviction is in the ledger).
    """
    if fn is None:
        return lambda f: Function(f, input_signature, executor, shape_policy, max_traces)
    return Function(fn, input_signature, executor, shape_policy, max_traces)


def _record_eviction(ledger: TraceLedger, number: int, kind: str, what: str,
                     bound: str) -> None:
    """A trace's Session evicted a plan or compiled step: the ledger's eviction record."""
    ledger.record_eviction(kind, what, number, bound)


def _has_nodes(args: tuple, kwargs: dict) -> bool:
    leaves: list[Any] = []
    flatten((args, kwargs), leaves)
    return any(isinstance(leaf, Node) for leaf in leaves)
