"""The harness's contact with ``eager`` and ``static`` training: one twin per mode, one interface.

Both twins take the same batches and return a `StepRecord` per training step (output, loss,
gradient per parameter name). Everything mode-specific about training (optimizers, tracing,
gradients, sessions, compiled steps) lives here, the compiler's own API in
`compiler_adapter` and graph views (tape, diagrams) in `graph_views`, so that API changes
in the modes stay local to these three adapters.

Static graphs are built per *signature*: the batch's input shapes with the model's dynamic
dims replaced by ``None``. A model with ``dynamic_dims=()`` gets one graph per exact shape.
Every graph's variables share the Module's storage (tracing captures parameters without a
copy), so SGD updates made through any of them land in the same weights.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import eager
import eager.optim
import static
from static.tracing import trace

from .compiler_adapter import compiler_module
from .rng_sync import eager_step_seeds, prepare_static_step
from .zoo.registry import ModelCase


@dataclass
class StepRecord:
    """What one training step produced (arrays copied out, so later steps cannot change them)."""

    output: np.ndarray
    loss: float
    grads: dict[str, np.ndarray]


def manual_seed(seed: int) -> None:
    """Seed the eager mode's generator (parameter initialisation draws from it)."""
    eager.manual_seed(seed)


def param_arrays(model: Any) -> dict[str, np.ndarray]:
    """The Module's parameters by name, as copies."""
    return {name: np.array(np.asarray(p), copy=True) for name, p in model.named_parameters()}


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, eager.Tensor):
        value = value.detach()
    return np.array(np.asarray(value), copy=True)


# ---------------------------------------------------------------------------------------------
# eager


class EagerTwin:
    """Trains the Module with tape autograd and ``eager.optim.SGD``."""

    mode = "eager"

    def __init__(self, case: ModelCase) -> None:
        self.case = case
        self.model = case.model
        self.names = {id(p): n for n, p in self.model.named_parameters()}
        self.optimizer = eager.optim.SGD(self.model.parameters(), lr=case.lr)
        self.steps = 0  # dropout draws the static twin's seeds of the same step (rng_sync)

    def forward_loss(self, inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]):
        """The forward pass and loss only (no backward): the replay used on static failures."""
        out = self.model(*[eager.tensor(a) for a in inputs])
        return out, self.case.loss(out, *[eager.tensor(t) for t in targets])

    def step(self, inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray],
             record: bool = True) -> StepRecord | None:
        """zero_grad, forward, loss, backward, SGD step."""
        self.optimizer.zero_grad()
        self.steps += 1
        with eager_step_seeds(self.steps):
            out, loss = self.forward_loss(inputs, targets)
        loss.backward()
        rec = None
        if record:
            grads = {self.names[id(p)]: _as_array(p.grad) for p in self.model.parameters()
                     if p.grad is not None}
            rec = StepRecord(_as_array(out), float(_as_array(loss)), grads)
        self.optimizer.step()
        return rec


# ---------------------------------------------------------------------------------------------
# static


@dataclass
class StaticPlan:
    """One traced training graph for one input signature, and how to run it."""

    signature: tuple
    graph: Any
    inputs: list
    targets: list
    output: Any
    loss: Any
    grads: dict[str, Any]
    train: Any
    runner: Any
    executor: str
    trace_s: float
    compile_s: float
    fetches: list = field(default_factory=list)


class StaticTwin:
    """Traces the Module (per signature) into a training graph and runs it in a Session."""

    mode = "static"

    def __init__(self, case: ModelCase, passes: dict[str, bool] | None = None,
                 executor: str = "compiled") -> None:
        self.case = case
        self.model = case.model
        self.passes = passes
        self.executor = executor
        compiler_module()  # import it now: its import time is not compile time
        self.plans: dict[tuple, StaticPlan] = {}
        self.trace_log: list[dict] = []
        self.steps = 0  # dropout draws the eager twin's seeds of the same step (rng_sync)

    def signature(self, arrays: Sequence[np.ndarray]) -> tuple:
        """((shape with dynamic dims as None, dtype), ...) of a batch's arrays: the trace key."""
        dyn = set(self.case.dynamic_dims)
        return tuple((tuple(None if i in dyn else d for i, d in enumerate(a.shape)),
                      str(a.dtype)) for a in arrays)

    def plan_for(self, inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> StaticPlan:
        """The plan for this batch's signature: cached, or traced and compiled now."""
        sig = self.signature(list(inputs) + list(targets))
        plan = self.plans.get(sig)
        if plan is None:
            plan = self._build(sig, len(inputs))
            self.plans[sig] = plan
            self.trace_log.append({"signature": _sig_text(sig), "trace_s": plan.trace_s,
                                   "compile_s": plan.compile_s, "nodes": len(plan.graph.nodes)})
        return plan

    def _build(self, sig: tuple, n_inputs: int) -> StaticPlan:
        t0 = time.perf_counter()
        graph = static.Graph()
        with graph.as_default():
            phs = [static.placeholder(shape, np.dtype(dtype),
                                      name=f"x{i}" if i < n_inputs else f"y{i - n_inputs}")
                   for i, (shape, dtype) in enumerate(sig)]
            xs, ys = phs[:n_inputs], phs[n_inputs:]
            out = trace(self.model, *xs)
            loss = self.case.loss(out, *ys)
            variables = graph.variables(trainable=True)
            grads = static.gradients(loss, variables)
            train = static.optim.SGD(lr=self.case.lr).apply_gradients(
                zip(grads, variables, strict=True))
        names = _variable_names(self.model, variables)
        grad_nodes = {names[v.name]: g for v, g in zip(variables, grads, strict=True)
                      if g is not None}
        trace_s = time.perf_counter() - t0
        fetches = [out, loss, *grad_nodes.values(), train]
        t1 = time.perf_counter()
        runner, executor = self._compile(graph, fetches, phs)
        compile_s = time.perf_counter() - t1
        return StaticPlan(sig, graph, xs, ys, out, loss, grad_nodes, train, runner, executor,
                          trace_s, compile_s, fetches)

    def _compile(self, graph: Any, fetches: list, feeds: list) -> tuple[Any, str]:
        # The compiled path is the static mode's real one; the Session's node-by-node
        # interpreter is the fallback (and the debugging path) when no compiler is present.
        comp = compiler_module()
        if comp is not None and self.executor == "compiled":
            compiled = comp.compile(graph, fetches, feeds, passes=self.passes)
            return compiled, "compiled"
        return static.Session(graph), "interpret"

    def run_plan(self, plan: StaticPlan, inputs, targets, fetches: list) -> list:
        """Run ``plan`` on one batch; the values of ``fetches`` (a compiled plan: its own)."""
        feeds = dict(zip(plan.inputs + plan.targets, list(inputs) + list(targets), strict=True))
        if plan.executor == "compiled":
            return list(plan.runner.run(feeds))  # compiled for plan.fetches, in that order
        return list(plan.runner.run(fetches, feeds))

    def step(self, inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray],
             record: bool = True) -> StepRecord | None:
        """One training step: fetch output, loss and gradients, apply the SGD update."""
        plan = self.plan_for(inputs, targets)
        self.steps += 1
        prepare_static_step(static.rng_state(plan.graph), self.steps)
        values = self.run_plan(plan, inputs, targets, plan.fetches)
        if not record:
            return None
        out, loss, *grads = values[:-1]
        return StepRecord(_as_array(out), float(np.asarray(loss)),
                          {n: _as_array(g) for n, g in zip(plan.grads, grads, strict=True)})


def eager_replay(model: Any, loss_fn: Any, inputs, targets) -> dict:
    """Run one forward + loss + backward eagerly on ``model``'s current weights: the
    debugging view of a static step that failed (eager stops at the failing Python line)."""
    try:
        out = model(*[eager.tensor(a) for a in inputs])
        loss_fn(out, *[eager.tensor(t) for t in targets]).backward()
    except Exception as e:
        return {"ran": True, "exception": type(e).__name__, "message": str(e),
                "user_line": _failing_line(e)}
    return {"ran": True, "exception": None, "user_line": None,
            "message": "the eager replay of the same inputs raised no error"}


def _failing_line(exc: BaseException) -> str | None:
    """The error's own user location, else the innermost traceback frame outside the
    framework packages and the standard/site libraries."""
    import os
    import sysconfig
    import traceback

    import shared_ops

    loc = getattr(exc, "location", None)
    if loc is not None:
        return str(loc)
    skip = tuple(os.path.dirname(os.path.abspath(m.__file__)) for m in (eager, static, shared_ops))
    skip += tuple({sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")})
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.startswith(skip) and not frame.filename.startswith("<"):
            found = f"{frame.filename}:{frame.lineno} in {frame.name}"
    return found


def profile_step(twin: Any, inputs, targets) -> dict:
    """One untimed-by-others step of ``twin`` under the right per-op profiler."""
    from . import timing

    if isinstance(twin, StaticTwin):
        plan = twin.plan_for(inputs, targets)
        if plan.executor == "compiled":
            twin.step(inputs, targets, record=False)  # make sure this shape's code exists
            lines = {p.filename: {k: n.op for k, n in p.line_nodes.items()}
                     for p in plan.runner.cache.plans.values()}
            with timing.line_profile(lines) as table:
                t0 = time.perf_counter()
                twin.step(inputs, targets, record=False)
                elapsed = time.perf_counter() - t0
            return timing.profile_rows(table, 1, elapsed, "generated code timed per line "
                                       "(sys.settrace; adds a fixed cost per line)")
    with timing.kernel_profile() as table:
        t0 = time.perf_counter()
        twin.step(inputs, targets, record=False)
        elapsed = time.perf_counter() - t0
    return timing.profile_rows(table, 1, elapsed)


def _variable_names(model: Any, variables: list) -> dict[str, str]:
    """Graph variable name -> the Module's parameter name (matched by shared storage)."""
    by_storage = {id(np.asarray(p)): n for n, p in model.named_parameters()}
    out = {}
    for v in variables:
        out[v.name] = by_storage.get(id(v.value), v.name)
    return out


def _sig_text(sig: tuple) -> str:
    parts = []
    for shape, dtype in sig:
        dims = ",".join("?" if d is None else str(d) for d in shape)
        parts.append(f"{dtype}[{dims}]")
    return "(" + ", ".join(parts) + ")"
