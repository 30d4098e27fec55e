"""`CompiledModule`: what ``static.compile(model_or_fn)`` returns (torch.compile's role).

    >>> model = static.compile(Net())                    # doctest: +SKIP
    >>> loss = criterion(model(x), y)                    # doctest: +SKIP
    >>> loss.backward(); optimizer.step()                # doctest: +SKIP

On the first call per *signature* (each tensor argument's shape, dtype and requires_grad,
every other argument's value, the training flag of every submodule) the target is traced
into a region (`static.compiling.region`) and compiled; later calls run the compiled step.
With ``dynamic=None`` (the default, as torch's automatic dynamic shapes) a call whose sizes
differ from a trace's retraces once with those dims unknown, so a third batch size does not
retrace; ``dynamic=True`` makes dim 0 of every tensor unknown from the start, ``False``
traces every shape. Parameters are fed from the Module at every call, never copied.

Python that needs a tensor's value (``if x.sum() > 0``), or a layer that cannot be staged
(it raises NotImplementedError), is a graph break (`breaks`): those
calls run eagerly, and `breaks` and the ledger say why and where; ``fullgraph=True`` raises
`GraphBreakError` instead. ``static.config.run_functions_eagerly(True)`` runs every call
eagerly. The `ledger` (a `TraceLedger`) lists every trace with its reason; one that
retraces too often warns once (`static.config`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

import shared_ops
from shared_ops.errors import user_location

from ..config import config
from ..lru import LRU, MAX_TRACES
from ..pytree import flatten
from ..retracing import RetraceWatch
from ..trace_captures import outside_values
from ..trace_ledger import TraceLedger, TraceRecord
from ..trace_signature import signature_of
from ..tracing import input_names, is_array_like
from .breaks import GraphBreak, GraphBreakError, find_break
from .region import assemble, trace_region
from .region_call import CompiledRegion, grad_enabled_for
from .signatures import generalize, matches, reason_for

__all__ = ["CompiledModule"]

_SEED_HIGH = 2**63 - 1
_MAX_FAST_KEYS = 256


@dataclass
class _Entry:
    key: tuple  # (structure, leaves with dims None where dynamic, flags)
    record: TraceRecord
    params: list  # the parameter objects fed, in the region's order
    region: CompiledRegion | None = None
    graph_break: GraphBreak | None = None


class CompiledModule:
    """A Module or function compiled per call signature (see the module docstring).

    Attributes the compiled object does not have are the original's (``parameters()``,
    ``state_dict()``, submodules), as with torch's ``OptimizedModule``; ``_orig_mod`` is
    the original."""

    def __init__(self, target: Any, *, fullgraph: bool = False, dynamic: bool | None = None,
                 executor: str = "compiled"):
        if not callable(target):
            raise TypeError(f"static.compile: expected a Module or a function, got "
                            f"{type(target).__name__}")
        if dynamic not in (None, True, False):
            raise TypeError(f"static.compile: dynamic must be None, True or False, got "
                            f"{dynamic!r}")
        self.__dict__["_orig_mod"] = target
        self.fullgraph = bool(fullgraph)
        self.dynamic = dynamic
        self.executor = executor
        self.name = getattr(target, "__qualname__", None) or type(target).__name__
        self.ledger = TraceLedger(self.name)
        self.breaks: list[GraphBreak] = []
        self._entries: list[_Entry] = []
        # The parameters of the latest trace (None: not looked up yet); their flags key calls.
        self._params: list | None = None
        # Exact call keys -> their entry; bounded: with dynamic dims every size is a key.
        self._fast = LRU(_MAX_FAST_KEYS)
        self._names: dict[int, list[str]] = {}
        self._retraces = RetraceWatch(
            f"static.compile({self.name})",
            "dynamic=True marks dim 0 unknown so that batch sizes share a trace; pass values "
            "that vary as tensors, not Python numbers")

    # -- the Module's face --------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_orig_mod"], name)

    def train(self, mode: bool = True) -> CompiledModule:
        """Set the original Module's training mode (a new signature: it may retrace)."""
        self._orig_mod.train(mode)
        return self

    def eval(self) -> CompiledModule:
        """``train(False)``."""
        return self.train(False)

    def __repr__(self) -> str:
        inner = repr(self._orig_mod).replace("\n", "\n  ")
        return f"OptimizedModule(\n  (_orig_mod): {inner}\n)"

    # -- calls ----------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        target = self._orig_mod
        if config.functions_run_eagerly():
            return target(*args, **kwargs)
        leaves: list[Any] = []
        structure = flatten((args, dict(sorted(kwargs.items()))), leaves)
        exact = self._exact_key(structure, leaves)
        try:
            entry = self._fast.get(exact)
        except TypeError:  # an unhashable argument: the lookup below says which
            entry = None
        if entry is None:
            entry = self._lookup(args, kwargs, exact)
            self._fast.add(exact, entry)
        else:
            self.ledger.hits += 1
        entry.record.calls += 1
        if entry.region is None:  # a graph break: this signature runs eagerly
            return target(*args, **kwargs)
        return self._run(entry, leaves)

    def _exact_key(self, structure: Any, leaves: list) -> tuple:
        parts = []
        for leaf in leaves:
            if is_array_like(leaf):
                parts.append((tuple(leaf.shape), leaf.dtype,
                              bool(getattr(leaf, "requires_grad", False))))
            else:
                parts.append(("value", type(leaf), leaf))
        return (structure, tuple(parts), self._flags())

    def _flags(self) -> tuple:
        """Training flags of the Module's submodules and requires_grad of its parameters:
        a mode change, or freezing a parameter, is a new signature."""
        target = self._orig_mod
        modes = tuple(m.training for m in target.modules()) \
            if hasattr(target, "modules") else ()
        if self._params is None:
            self._params = [p for _, p in _parameters(target)[0]]
        return modes, tuple(bool(getattr(p, "requires_grad", False)) for p in self._params)

    def _run(self, entry: _Entry, leaves: list) -> Any:
        region = entry.region
        values = [leaf for leaf in leaves if is_array_like(leaf)] + list(entry.params)
        arrays = [np.asarray(v) for v in values]
        # Seeds come from the seed source of the values' mode (eager's generator for Tensors).
        anchor = next((v for v in values if hasattr(v, "requires_grad")), None)
        for _ in range(region.graph.n_seeds):
            seed = shared_ops.fresh_seed(anchor, _numpy_seed) if anchor is not None \
                else _numpy_seed()
            seed = np.asarray(seed, np.int64)
            values.append(seed)
            arrays.append(seed)
        first_draw = len(region.graph.inputs) - len(region.graph.draws)
        for k, (name, params) in enumerate(region.graph.draws):
            node = region.graph.inputs[first_draw + k]
            drawn = _random_fill(anchor, name, node.aval.shape, node.dtype, params)
            values.append(drawn)
            arrays.append(np.asarray(drawn))
        wrt = region.graph.grad_wrt
        train = bool(wrt) and grad_enabled_for(values[wrt[0]])
        start = time.perf_counter()
        outputs = region.run(arrays, values, train)
        entry.record.ran((time.perf_counter() - start) * 1e3)
        return assemble(region.graph, outputs)

    # -- tracing --------------------------------------------------------------------------------
    def _lookup(self, args: tuple, kwargs: dict, exact: tuple) -> _Entry:
        names = self._names.get(len(args))
        if names is None:
            names = self._names[len(args)] = input_names(self._orig_mod, len(args))
        structure, call_args = signature_of(names, args, kwargs, None)
        flags = exact[2]
        for entry in self._entries:
            if matches(entry.key, structure, call_args, flags):
                self.ledger.hits += 1
                entry.record.shapes.add(call_args)
                return entry
        shapes = generalize(structure, call_args, flags, self.dynamic,
                            [e.key for e in self._entries])
        key = (structure, shapes, flags)
        reason = reason_for((structure, call_args, flags), [e.key for e in self._entries])
        dynamic = [f"{a.name} dim {d}" for a in shapes if a.shape is not None
                   for d, n in enumerate(a.shape) if n is None]
        if dynamic and self.dynamic is None:
            reason += f" (now dynamic: {', '.join(dynamic)})"
        entry = self._trace(key, args, kwargs, reason)
        entry.record.shapes.add(call_args)
        self._entries.append(entry)
        if len(self._entries) > MAX_TRACES:  # bounded, as static.function's traces are
            old = self._entries.pop(0)
            number = self.ledger.records.index(old.record) + 1
            self.ledger.record_eviction("trace", old.record.signature, number,
                                        f"max_traces={MAX_TRACES}")
            for k in [k for k, e in self._fast.items() if e is old]:
                del self._fast[k]
        self.ledger.misses += 1
        self.ledger.records.append(entry.record)
        self._retraces.traced(self.ledger.traces, reason)
        return entry

    def _trace(self, key: tuple, args: tuple, kwargs: dict, reason: str) -> _Entry:
        target = self._orig_mod
        params, buffers = _parameters(target)
        self._params = [p for _, p in params]
        shapes = [a.shape for a in key[1] if a.shape is not None]
        leaves: list[Any] = []
        flatten((args, kwargs), leaves)
        wants = [bool(getattr(leaf, "requires_grad", False)) for leaf in leaves
                 if is_array_like(leaf)]
        wants += [bool(getattr(p, "requires_grad", False)) for _, p in params]
        signature = "(" + ", ".join(a.describe() for a in key[1]) + ")"
        start = time.perf_counter()
        try:
            graph = trace_region(target, args, dict(sorted(kwargs.items())), shapes, params,
                                 buffers, wants)
        except Exception as e:
            graph_break = find_break(e, user_location())
            if graph_break is None:
                raise
            if self.fullgraph:
                raise GraphBreakError(self.name, graph_break) from e
            self.breaks.append(graph_break)
            record = TraceRecord(signature, f"{reason}; graph break: runs eagerly",
                                 (time.perf_counter() - start) * 1e3, 0.0, 0)
            return _Entry(key, record, [p for _, p in params], graph_break=graph_break)
        trace_ms = (time.perf_counter() - start) * 1e3
        start = time.perf_counter()
        region = CompiledRegion(graph, self.executor)
        compile_ms = (time.perf_counter() - start) * 1e3
        nodes = len(graph.graph.nodes)
        record = TraceRecord(signature, reason, trace_ms, compile_ms, nodes)
        return _Entry(key, record, [p for _, p in params], region=region)


def _parameters(target: Any) -> tuple[list, list]:
    """(parameters, buffers) as ``(name, object)``: a Module's own, a bound method's
    instance's, or for a plain function what it reads through closures and globals
    (tensors that require grad count as parameters)."""
    owner = target if hasattr(target, "named_parameters") else getattr(target, "__self__", None)
    if owner is not None and hasattr(owner, "named_parameters"):
        params = list(owner.named_parameters())
        buffers = list(owner.named_buffers()) if hasattr(owner, "named_buffers") else []
        return params, buffers
    captured, _ = outside_values(target) if callable(target) else ([], [])
    params = [(n, v) for n, v in captured if getattr(v, "requires_grad", False)]
    buffers = [(n, v) for n, v in captured if not getattr(v, "requires_grad", False)]
    return params, buffers


def _random_fill(anchor: Any, name: str, shape: tuple, dtype: np.dtype, params: dict) -> Any:
    """A random fill's value for this call: drawn by the mode of the values (eager: from
    PyTorch's stream, in the forward's order), else by NumPy."""
    draw = shared_ops.direct_draw(name, anchor) if anchor is not None else None
    drawn = draw(shape, dtype, **params) if draw is not None else None
    if drawn is not None:
        return drawn
    rng = np.random.default_rng()
    if name == "normal_":
        return rng.normal(params["mean"], params["std"], shape).astype(dtype)
    if name == "uniform_":
        return rng.uniform(params["from_"], params["to"], shape).astype(dtype)
    return (rng.random(shape) < params["p"]).astype(dtype)


def _numpy_seed() -> int:
    return int(np.random.default_rng().integers(0, _SEED_HIGH))
