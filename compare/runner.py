"""Run one zoo model through both modes from identical weights and data, and measure.

`run_model` builds the two twins under the same seed, checks their initial weights are equal,
trains each for ``steps`` steps on the same batches in the same order, then:

* agreement: outputs, losses and gradients of every step, parameters after the last step;
* speed: trace and compile time (code generation per concrete shape included), first step,
  steady-state steps (the training steps after the first plus at least ``repeats`` extra timed
  steps, up to the end of the first epoch), payback of the static setup cost measured over
  all timed steps (`runner_epoch`);
* a per-op kernel profile of one more step per mode, and its memory under tracemalloc.

The result is a plain dict (JSON-ready) in the shape described by ``report/schema.json``.
Twins and their training come from `training`; when the modes disagree, `diffing` and
`attribution` explain where (both build on `training` too, not on this module).
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import agreement, memory, timing
from .attribution import attribute
from .compiler_adapter import compiler_available, pass_reports
from .diffing import first_divergence
from .error_origin import user_line
from .modes import EagerTwin, StaticTwin, param_arrays, profile_step
from .runner_epoch import Setup, measured_payback, prepare_step
from .training import (
    Progress,
    batch_at,
    compare_records,
    first_bad_step,
    make_twins,
    train_twin,
)
from .zoo.registry import get_model


def _extra_steps(twins: list, cases: list, start: int,
                 count: int) -> tuple[list[list[float]], list[Setup]]:
    """``count`` more timed steps per twin, interleaved (eager, static, eager, ...) so that
    load from other processes on the machine hits both modes alike; also the static twin's
    one-off setup of each step, done (and timed) before the step itself."""
    times: list[list[float]] = [[] for _ in twins]
    setups: list[Setup] = []
    for k in range(start, start + count):
        for i, (twin, case) in enumerate(zip(twins, cases, strict=True)):
            inputs, targets = batch_at(case, k)
            if isinstance(twin, StaticTwin):
                setups.append(prepare_step(twin, inputs, targets))
            t0 = time.perf_counter()
            twin.step(inputs, targets, record=False)
            times[i].append(time.perf_counter() - t0)
    return times, setups


def run_model(name: str, *, steps: int = 5, dtype: str = "float64", seed: int = 0,
              repeats: int = 5, on_step: Progress | None = None, executor: str = "compiled",
              disabled_passes: tuple[str, ...] = ()) -> dict:
    """Everything the harness measures for one model; errors are caught into ``error``.

    ``executor``: the static mode's ``"compiled"`` step or the node-by-node ``"interpret"``er;
    ``disabled_passes``: compiler passes switched off by name.
    """
    entry = get_model(name)
    result: dict[str, Any] = {"name": name, "description": entry.description, "dtype": dtype,
                              "steps": steps, "seed": seed, "not_available": {}}
    try:
        static_options = {"executor": executor,
                          "passes": {p: False for p in disabled_passes} or None}
        _run(result, name, steps, np.dtype(dtype), seed, repeats, on_step, static_options)
    except Exception as e:  # one broken model must not hide the others' results
        result["error"] = {"type": type(e).__name__, "message": str(e),
                           "traceback": traceback.format_exc(limit=8),
                           "phase": getattr(e, "dualgraph_phase", "setup")}
        replay = getattr(e, "dualgraph_replay", None) or {}
        # compiled code has no user frame: the eager replay of the same step names the line
        where = user_line(e) or replay.get("user_line")
        if where:
            result["error"]["user_line"] = where
        if hasattr(e, "dualgraph_replay"):
            result["error"].update(mode="static", step=e.dualgraph_step,
                                   replay=e.dualgraph_replay)
        elif result["error"]["phase"] in ("eager", "static"):
            result["error"]["mode"] = result["error"]["phase"]
    return result


@contextlib.contextmanager
def _phase(name: str) -> Iterator[None]:
    """Tag an exception with the phase it escaped from: the report's column for it."""
    try:
        yield
    except Exception as e:
        if not hasattr(e, "dualgraph_phase"):
            e.dualgraph_phase = name
        raise


def _run(result: dict, name: str, steps: int, dtype: np.dtype, seed: int, repeats: int,
         on_step: Progress | None, static_options: dict) -> None:
    case_e, case_s = make_twins(name, dtype, seed)
    eager_twin, static_twin = EagerTwin(case_e), StaticTwin(case_s, **static_options)
    result.update(lr=case_e.lr, shape_policy=case_e.shape_policy,
                  parameter_count=int(sum(v.size for v in param_arrays(case_e.model).values())),
                  batches=len(case_e.batches))

    # Static first: a fault both modes share then surfaces in static, with the eager replay.
    with _phase("static"):
        # each batch's trace, compile and code generation, timed apart from its step
        setups = [prepare_step(static_twin, *batch_at(case_s, k)) for k in range(steps)]
        rec_s, t_s, _ = train_twin(static_twin, case_s, steps, on_step)
    with _phase("eager"):
        rec_e, t_e, _ = train_twin(eager_twin, case_e, steps, on_step)
    params_e, params_s = param_arrays(case_e.model), param_arrays(case_s.model)
    tol = agreement.tolerance_for(dtype)
    result["agreement"] = compare_records(rec_e, rec_s, params_e, params_s, tol)
    result["losses"] = {"eager": [r.loss for r in rec_e], "static": [r.loss for r in rec_s]}
    if not result["agreement"]["agrees"]:
        _explain(result, name, steps, dtype, seed, first_bad_step(rec_e, rec_s, tol), tol)

    # The timed run covers at least one epoch, so that payback includes every trace and
    # compile the data causes (a new sequence length, say), not just the first few steps'.
    count = max(repeats, len(case_e.batches) - steps)
    (extra_e, extra_s), more = _extra_steps([eager_twin, static_twin], [case_e, case_s], steps,
                                            count)
    times_e, times_s, setups = t_e + extra_e, t_s + extra_s, setups + more
    steady_e = times_e[1:]
    steady_s = [t for t, su in zip(times_s[1:], setups[1:], strict=True) if not su.new]
    stats_e, stats_s = timing.step_stats(steady_e), timing.step_stats(steady_s)
    plans = static_twin.plans.values()
    codegen = [su.codegen_s for su in setups if su.codegen_s > 0]
    first_plan = next(iter(plans))
    result["timing"] = {
        "eager": {"first_step_ms": t_e[0] * 1e3, "steady": stats_e},
        "static": {"trace_ms": sum(p.trace_s for p in plans) * 1e3,
                   "compile_ms": (sum(p.compile_s for p in plans) + sum(codegen)) * 1e3,
                   "code_generations": len(codegen), "codegen_ms": sum(codegen) * 1e3,
                   "first_step_ms": t_s[0] * 1e3, "steady": stats_s,
                   "executor": first_plan.executor,
                   "traces": [dict(t, trace_ms=t["trace_s"] * 1e3,
                                   compile_ms=t["compile_s"] * 1e3)
                              for t in static_twin.trace_log]},
        "payback": dict(measured_payback([su.total_s + t for su, t in
                                          zip(setups, times_s, strict=True)], times_e,
                                         _median_s(stats_s), _median_s(stats_e)),
                        epoch=len(case_e.batches),
                        setup_ms=sum(su.total_s for su in setups) * 1e3),
    }
    for t in result["timing"]["static"]["traces"]:
        t.pop("trace_s"), t.pop("compile_s")
    reason = compiler_available()
    if reason is not None:
        result["not_available"]["compiled_executor"] = reason

    k = steps + repeats
    result["profile"] = {m: _profile(tw, case, k) for m, tw, case in
                         (("eager", eager_twin, case_e), ("static", static_twin, case_s))}
    result["memory"] = {m: memory.measure_step(
                            lambda tw=tw, case=case: _step_unrecorded(tw, case, k + 1))
                        for m, tw, case in
                        (("eager", eager_twin, case_e), ("static", static_twin, case_s))}
    result["graph"] = {"nodes": len(first_plan.graph.nodes), "traces": len(static_twin.plans),
                       "roles": _roles(first_plan.graph), "passes": pass_reports(first_plan)}


def _median_s(stats: dict) -> float | None:
    return None if stats["median_ms"] is None else stats["median_ms"] / 1e3


def _explain(result: dict, name: str, steps: int, dtype: np.dtype, seed: int,
             bad: int | None, tol: float) -> None:
    """Node-by-node diff and pass attribution for a model that disagrees."""
    step = steps - 1 if bad is None else bad
    for key, fn in (("diff", lambda: first_divergence(name, step=step, dtype=str(dtype),
                                                      seed=seed, tol=tol)),
                    ("attribution", lambda: attribute(name, steps=steps, dtype=str(dtype),
                                                      seed=seed))):
        try:
            result[key] = fn()
        except Exception as e:  # the explanation must not hide the measurement itself
            result["not_available"][key] = f"{type(e).__name__}: {e}"


def _step_unrecorded(twin, case, k: int) -> None:
    inputs, targets = batch_at(case, k)
    twin.step(inputs, targets, record=False)


def _profile(twin, case, k: int) -> dict:
    inputs, targets = batch_at(case, k)
    return profile_step(twin, inputs, targets)


def _roles(graph) -> dict:
    counts: dict[str, int] = {}
    for node in graph.nodes:
        role = node.meta.get("role") or "forward"
        counts[role] = counts.get(role, 0) + 1
    return counts
