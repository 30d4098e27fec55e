"""`Compiled`: an optimized graph ready to run, with a cache of generated plans.

``compiled.run(feed_dict)`` returns the fetch values in order (a fetched train op gives
None) and applies the step's variable updates in place, after everything else, so a failing
step changes nothing. ``compiled(*arrays)`` is the same step with the feeds in
``compiled.inputs`` order (no dict handling: the fast path).

The generated code depends on the concrete feed shapes (buffers are planned for them), so
plans are cached per feed signature; ``compiled.cache`` (a `PlanCache`) counts hits, misses
and evictions and keeps at most ``max_plans`` (default 64, least recently used out). With
``executor="interpret"`` the optimized graph runs node by node instead (the debugging path).

Threads: a plan's buffers are shared by every call with that signature, so a step is not
reentrant. Each call holds the step's lock for its whole run: calls from several threads are
correct but run one at a time (compile one step per thread for parallelism). Each call also
runs with every float error ignored (``np.errstate(all="ignore")`` unless the thread ignores
them already): NumPy's error state is per thread, and IEEE results (``log(0) = -inf``) must
not depend on which thread calls. A call with the feed signature of the previous one takes
a fast path (`fast_call`) that skips the plan lookup.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any

import numpy as np

from shared_ops import limits
from shared_ops.aval import Aval
from shared_ops.errors import OpError, describe_shapes

from ..control_flow.optimize import optimize_bodies
from ..errors import FeedError, NodeRuntimeError
from ..graph import Graph, Node, format_location
from ..interpreter import Interpreter
from ..lru import MAX_PLANS
from .codegen import GeneratedStep, generate
from .context import PassReport
from .fast_call import ERRSTATE, IGNORING, ieee_now, signature_guard
from .plan_cache import PlanCache
from .provenance import describe_origin, origin_lines, origin_of


class Compiled:
    """A compiled step. Build with `static.compile`; run with `run` or call it."""

    def __init__(self, graph: Graph, fetches: list[Node], inputs: list[Node],
                 reports: list[PassReport], executor: str = "compiled",
                 source_graph: Graph | None = None,
                 source_step: tuple[list[Node], list[Node]] | None = None,
                 max_plans: int = MAX_PLANS):
        if executor not in ("compiled", "interpret"):
            raise ValueError(f"executor must be 'compiled' or 'interpret', got {executor!r}")
        self.graph = graph
        self.fetches = fetches
        self.inputs = inputs
        self.reports = reports
        self.executor = executor
        self.source_graph = source_graph
        # The original fetches and placeholders (in ``inputs`` order): a failing step is
        # re-run on them by the interpreter, to report the user's node (see `_replay`).
        self.source_step = source_step
        if source_graph is not None and graph is not source_graph:
            optimize_bodies(graph, reports)  # control-flow bodies get the graph's passes
        self.cache = PlanCache([p.name for p in inputs], max_plans)
        self._index = {p.name: k for k, p in enumerate(inputs)}
        self._last: GeneratedStep | None = None
        # (signature guard, step) of the latest plan used: the fast path of `__call__`.
        self._hot: tuple | None = None
        # One call at a time: planned buffers are shared between calls (see module docstring).
        self._lock = threading.RLock()

    # -- running ----------------------------------------------------------------------------
    def run(self, feed_dict: dict | None = None) -> list[Any]:
        """Fetch values for ``feed_dict`` (keys: placeholder nodes of the original or the
        optimized graph, or their names). A key that is not a placeholder (a variable, an
        unknown name) is refused, as `Session.run` does: its value would silently do nothing.
        A placeholder this step does not take is ignored."""
        arrays: list[Any] = [None] * len(self.inputs)
        for key, value in (feed_dict or {}).items():
            k = self._index.get(key if isinstance(key, str) else getattr(key, "name", None))
            if k is None:
                self._refuse_feed(key)
            else:
                arrays[k] = value
        for k, a in enumerate(arrays):
            if a is None:
                p = self.inputs[k]
                raise FeedError("compiled.run", f"placeholder %{p.name} ({p.aval}, defined at "
                                f"{format_location(p.location)}) needs a value")
        return self(*arrays)

    def _refuse_feed(self, key: Any) -> None:
        """Raise a `FeedError` for a ``feed_dict`` key that is not one of the step's inputs,
        unless it is a placeholder (of either graph) the step simply does not read."""
        node = key
        if isinstance(key, str):
            graphs = [g for g in (self.source_graph, self.graph) if g is not None and key in g]
            if not graphs:
                feeds = ", ".join(f"%{p.name}" for p in self.inputs) or "none"
                raise FeedError("compiled.run", f"cannot feed {key!r}: it names no node of the "
                                f"graph (this step's feeds: {feeds})")
            node = graphs[0][key]
        if not isinstance(node, Node):
            raise FeedError("compiled.run", f"cannot feed {key!r}: feed_dict keys are "
                            "placeholder nodes or their names")
        if node.op != "placeholder":
            raise FeedError("compiled.run", f"cannot feed %{node.name}: it is a {node.op}, not "
                            f"a placeholder (defined at {format_location(node.location)}); "
                            "only placeholders take feeds")

    def __call__(self, *arrays: Any) -> list[Any]:
        """The step with feeds given positionally, in ``self.inputs`` order.

        Holds the step's lock for the whole call (planned buffers are shared between calls)
        and runs with NumPy's float errors ignored in whichever thread calls.
        """
        # acquire/release, not `with`: the context-manager protocol costs 0.2 us more a call.
        self._lock.acquire()
        try:
            hot = self._hot
            if hot is not None and (ERRSTATE is not None and ERRSTATE.get() is IGNORING[0]
                                    or ieee_now()):
                # The steady state: the same feed signature as the previous call, in a thread
                # whose float errors are ignored already. Every check of `_call` still holds:
                # a signature equal to a cached one skips validation there too.
                guard, step = hot
                try:
                    same = guard(*arrays)
                except (AttributeError, TypeError):  # a list, a scalar, a missing feed...
                    same = False  # `_call` converts, checks and explains
                if same:
                    self.cache.hits += 1
                    try:
                        return step.fn(*arrays)
                    except Exception as e:
                        raise self._explain(step, e) from e
            with np.errstate(all="ignore"):
                return self._call(arrays)
        finally:
            self._lock.release()

    def _call(self, arrays: tuple) -> list[Any]:
        cache = self.cache
        try:  # a plan for these shapes exists (never for the interpreter)
            key = tuple([(a.shape, a.dtype) for a in arrays])
            step = cache.plans[key]
            cache.plans.move_to_end(key)  # the most recently used: evicted last
            cache.hits += 1
            self._remember(key, step)
        except (KeyError, AttributeError):
            if len(arrays) != len(self.inputs):
                names = ", ".join(f"%{p.name}" for p in self.inputs)
                raise FeedError("compiled", f"takes {len(self.inputs)} feeds ({names}), got "
                                f"{len(arrays)}") from None
            arrays = tuple(self._checked(p, a) for p, a in zip(self.inputs, arrays, strict=True))
            if self.executor == "interpret":
                return Interpreter(self.graph).run(self.fetches, dict(zip(self.inputs, arrays,
                                                                          strict=True)))
            try:
                step = self._plan_for(arrays)  # the lock is held already
            except Exception as e:  # a shape rule refused the concrete feed shapes
                raise self._replay(arrays, e) from e
        try:
            return step.fn(*arrays)
        except Exception as e:
            raise self._explain(step, e) from e

    def _remember(self, key: tuple, step: GeneratedStep) -> None:
        """Make ``step`` the one `__call__` tries first (without a dict lookup)."""
        if step.guard is None:
            step.guard = signature_guard(key)
        self._hot = (step.guard, step)

    def plan_for(self, arrays) -> GeneratedStep:
        """The generated step for these feed arrays' shapes (from the cache or made now)."""
        with self._lock:
            return self._plan_for(arrays)

    def _plan_for(self, arrays) -> GeneratedStep:
        key = tuple((a.shape, a.dtype) for a in arrays)
        step = self.cache.plans.get(key)
        if step is None:
            self.cache.misses += 1
            avals = {p: Aval(a.shape, a.dtype) for p, a in zip(self.inputs, arrays, strict=True)}
            step = generate(self.graph, self.fetches, self.inputs, avals)
            self.cache.store(key, step)
        else:
            self.cache.hits += 1
        self._last = step
        self._remember(key, step)
        return step

    def _checked(self, p: Node, value: Any) -> np.ndarray:
        arr = np.asarray(value)
        # Before any copy or cast: a broadcast view of 10**12 elements costs nothing until then.
        limits.check_shape("compiled.run", arr.shape, arr.dtype,
                           what=f"the value fed to placeholder %{p.name},")
        if arr.dtype != p.dtype:
            if not np.can_cast(arr.dtype, p.dtype, "same_kind"):
                raise FeedError("compiled.run", f"placeholder %{p.name} ({p.aval}) was fed "
                                f"dtype {arr.dtype}", dtypes=(arr.dtype, p.dtype))
            arr = arr.astype(p.dtype)
        if arr.ndim != p.ndim or any(d is not None and d != s
                                     for d, s in zip(p.shape, arr.shape, strict=True)):
            raise FeedError("compiled.run", f"placeholder %{p.name} expects shape "
                            f"{describe_shapes(p.shape)} but was fed shape "
                            f"{describe_shapes(arr.shape)}", shapes=(arr.shape, p.shape))
        return arr

    # -- looking at it ------------------------------------------------------------------------
    @property
    def source(self) -> str:
        """The generated Python of the latest plan (planned for the declared shapes, with
        unknown dims taken as 1, when nothing ran yet)."""
        if self._last is None:
            arrays = [np.zeros(tuple(1 if d is None else d for d in p.shape), p.dtype)
                      for p in self.inputs]
            self.plan_for(arrays)
        return self._last.source

    @property
    def readable_source(self) -> str:
        """The latest plan's step as a self-contained module a reader can run: a header
        defines every name the step reads (imports, kernels by module path, constants,
        variables' and buffers' arrays), then ``def step(...)``."""
        self.source  # noqa: B018 -- plans one when nothing ran yet
        return self._last.readable_source

    def summary(self) -> str:
        """One line per pass: ``cse: 40 -> 36 nodes (cse x4)``."""
        return "\n".join(r.summary() for r in self.reports)

    def __repr__(self) -> str:
        return (f"<Compiled: {len(self.graph.nodes)} nodes, {len(self.fetches)} fetches, "
                f"executor={self.executor!r}, plans={len(self.cache)}>")

    # -- errors -------------------------------------------------------------------------------
    def _replay(self, arrays, error: Exception) -> Exception:
        """The error of a step that failed before any code ran (planning: shape rules on the
        concrete feed shapes), as the interpreter reports it on the *original* graph: naming
        the user's node, its line and composite, exactly as ``executor="interpret"`` would.

        Nothing has run yet, so replaying is safe; the interpreter fails before its commit.
        Should it succeed instead, the compiled graph is at fault: the variables it updated are
        restored and the planning error is raised as it is.
        """
        if self.source_step is None or self.source_graph is None:
            return error
        fetches, inputs = self.source_step
        variables = [(v, v.value.copy()) for v in self.source_graph.variables()]
        try:
            Interpreter(self.source_graph).run(fetches, dict(zip(inputs, arrays, strict=True)))
        except (NodeRuntimeError, OpError) as replayed:
            return replayed
        except Exception:  # the interpreter failed differently: keep the planner's error
            return error
        for v, old in variables:
            v.value[...] = old
        return error

    def _explain(self, step: GeneratedStep, error: Exception) -> Exception:
        # Generated frames, outermost first: the step, then the functions of the control
        # nodes around a failing body statement (see emit_control_flow).
        frames = [line for frame, line in traceback.walk_tb(error.__traceback__)
                  if frame.f_code.co_filename == step.filename]
        lineno = frames[-1] if frames else None
        node = step.line_nodes.get(lineno) if lineno is not None else None
        if node is None:
            return error
        if isinstance(error, OpError):
            cause = error.detail if error.op == node.op else f"{error.op}: {error.detail}"
        else:
            shapes = [step.avals[i].shape for i in node.inputs if i in step.avals]
            cause = (f"{type(error).__name__}: {error} (input shapes "
                     f"{describe_shapes(*shapes) if shapes else 'none'})")
        origin = frozenset(origin_of(node))  # flattened once, here, where it is shown
        code_line = step.source.splitlines()[lineno - 2].strip() if lineno >= 2 else ""
        detail = (f"{cause}\n    failed at run time in compiled code "
                  f"{step.filename}:{lineno}: {code_line}\n"
                  f"    node {node.listing()}")
        if node.meta.get("composite"):  # as the interpreter says it
            detail += f" (inside {' -> '.join(node.meta['composite'])})"
        for outer in reversed([step.line_nodes.get(k) for k in frames[:-1]]):
            if outer is not None and "out_avals" in outer.attrs:  # a body's control node
                detail += (f"\n    inside the {outer.op} %{outer.name} at "
                           f"{format_location(outer.location)}")
        detail += f"\n    made from {describe_origin(origin)}"
        lines = origin_lines(origin)
        if lines:
            detail += f"\n    user lines: {', '.join(lines)}"
        detail += "\n    built"
        err = NodeRuntimeError(node.op, detail, location=node.location)
        # The user's own node when the failing one stands for exactly one original node.
        err.node = node
        if len(origin) == 1 and self.source_graph is not None and node.graph is self.graph:
            ((name, _),) = origin
            if name in self.source_graph:
                err.node = self.source_graph[name]
        err.origin = origin
        return err
