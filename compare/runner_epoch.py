"""The static mode's one-off costs step by step, and its payback measured over the timed run.

A static step can cost more than its run: a new input signature is traced and compiled, and
the compiled executor generates code once per new concrete feed shape (a graph with an unknown
dim, such as a ``scan`` over an unknown sequence length, runs one trace at many shapes).
`prepare_step` does that work for a batch before its step is timed and says what it cost, so
the step's own time stays a run and every one-off cost is charged to the step that needed it.

`measured_payback` then adds both modes' costs up step by step over the whole timed run (the
harness times at least one whole epoch) and says from which step the static mode's total,
every trace, compile and code generation included, stays at or under eager's:

    >>> r = measured_payback([5.0, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0], 1.0, 2.0)
    >>> r["steps"], r["measured"]
    (4, True)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import timing
from .modes import StaticTwin


@dataclass
class Setup:
    """What `prepare_step` did for one batch: seconds tracing and compiling a new signature,
    seconds generating code for a new concrete shape (0.0 where nothing was new)."""

    trace_compile_s: float = 0.0
    codegen_s: float = 0.0

    @property
    def total_s(self) -> float:
        """Every one-off second this batch caused."""
        return self.trace_compile_s + self.codegen_s

    @property
    def new(self) -> bool:
        """True when the batch traced, compiled or generated code: its step is not steady."""
        return self.total_s > 0.0


def prepare_step(twin, inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> Setup:
    """Trace and compile ``twin``'s plan for this batch and generate its code, if new; timed.

    An eager twin has nothing to prepare. A failure in code generation is left for the step
    itself to raise (the harness then replays the step eagerly to name the user's line).
    """
    if not isinstance(twin, StaticTwin):
        return Setup()
    before = len(twin.plans)
    plan = twin.plan_for(inputs, targets)
    # the plan's own figures, as the report's trace and compile columns show them
    traced = plan.trace_s + plan.compile_s if len(twin.plans) > before else 0.0
    return Setup(traced, _generate_code(plan, inputs, targets))


def _generate_code(plan, inputs, targets) -> float:
    """Seconds the compiled plan took to generate code for these feed shapes (0.0: cached)."""
    runner = plan.runner
    if plan.executor != "compiled" or not hasattr(runner, "plan_for"):
        return 0.0  # the interpreter runs the graph as it is: no code per shape
    by_name = {p.name: a for p, a in zip(plan.inputs + plan.targets, [*inputs, *targets],
                                         strict=True)}
    if any(p.name not in by_name for p in runner.inputs):
        return 0.0  # feeds this harness does not know: the step generates its code itself
    arrays = [np.asarray(by_name[p.name]) for p in runner.inputs]
    misses = runner.cache.misses
    t0 = time.perf_counter()
    try:
        runner.plan_for(arrays)
    except Exception:  # noqa: BLE001 - the step raises it again, with the eager replay
        return 0.0
    return time.perf_counter() - t0 if runner.cache.misses > misses else 0.0


def measured_payback(static_s: Sequence[float], eager_s: Sequence[float],
                     static_step_s: float | None, eager_step_s: float | None) -> dict:
    """From which step static's running total stays at or under eager's.

    ``static_s[k]``/``eager_s[k]``: everything step ``k`` cost each mode (static: its one-off
    setup plus its run). When static is still behind after the last timed step, the rest is
    extrapolated with the steady medians (``static_step_s``, ``eager_step_s``), which holds
    when the timed run covered an epoch: no new shape comes later. ``steps`` is None when
    static is behind and its steady step is not faster (it never pays back).
    """
    n = len(static_s)
    total_s = total_e = 0.0
    behind_at = -1  # the last step after which static's total is above eager's
    running: dict[str, list[float]] = {"static": [], "eager": []}
    for k, (s, e) in enumerate(zip(static_s, eager_s, strict=True)):
        total_s, total_e = total_s + s, total_e + e
        running["static"].append(total_s * 1e3)
        running["eager"].append(total_e * 1e3)
        if total_s > total_e:
            behind_at = k
    head = (f"{n} timed steps, every trace, compile and code generation included: static "
            f"{total_s * 1e3:.1f} ms, eager {total_e * 1e3:.1f} ms")
    sums = {"timed_steps": n, "static_total_ms": total_s * 1e3, "eager_total_ms": total_e * 1e3,
            "running_ms": running}
    if behind_at < n - 1:
        return {**sums, "steps": behind_at + 2, "measured": True,
                "reason": f"{head}; static's total stays at or under eager's from step "
                          f"{behind_at + 2}"}
    if static_step_s is None or eager_step_s is None:
        return {**sums, "steps": None, "measured": False,
                "reason": "not available: no steady-state steps were timed "
                          "(use more --steps or --repeats)"}
    # The rest at steady speed: the deficit is the "setup" still to pay back.
    rest = timing.payback_steps(setup_s=total_s - total_e, static_first_s=0.0,
                                eager_first_s=0.0, static_step_s=static_step_s,
                                eager_step_s=eager_step_s)
    if rest["steps"] is None:
        return {**sums, "steps": None, "measured": False,
                "reason": f"{head}; {rest['reason']}"}
    steps = n - 1 + rest["steps"]
    return {**sums, "steps": steps, "measured": False,
            "reason": f"{head}; then {rest['reason']}: pays back at step {steps} "
                      "(extrapolated)"}
