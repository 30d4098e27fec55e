"""The trace ledger: every trace of a `static.function`, why it happened, what it cost, and
what its bounded caches evicted.

On a miss, `why` (see `trace_signature`) names the difference from the most similar cached
signature (``x: shape (4, 10) -> (3, 10)``), and the ledger keeps one `TraceRecord` per trace.

    >>> ledger = TraceLedger("f")
    >>> print(ledger)
    TraceLedger(f): 0 traces, 0 calls (0 hits, 0 misses)

The caches are bounded (`static.lru`): a trace evicted from a full trace cache, or a plan
(one per feed shape) or compiled step evicted from a trace's Session, is an `Eviction` in
``ledger.evictions``, printed under the table, and a later retrace of an evicted signature
gives that as its reason: a retrace for want of room is told apart from one for a new shape.

Every run is timed, so the ledger can say when compiling paid off: given what one eager step
costs, `TraceLedger.payback` is the number of calls after which the one-off cost (tracing,
compiling, the slower first runs) is covered by the per-call saving of the compiled path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Re-exported: the signatures lived here first (shape policies and tests import them).
from .trace_signature import CallArg, signature_of, why

__all__ = ["CallArg", "Eviction", "TraceLedger", "TraceRecord", "signature_of", "why"]

# Evictions kept for display (all are counted): a thrashing cache must not grow the ledger.
MAX_EVICTIONS_KEPT = 100
# Evictions printed under the table, the latest ones.
EVICTIONS_SHOWN = 8

# ---------------------------------------------------------------------------------------------
# The ledger


@dataclass
class TraceRecord:
    """One trace: for which signature, why it happened, what it cost, how often it was used.

    ``compile_ms`` is making the Session's executor; ``first_run_ms`` is the first execution,
    where an executor that plans per concrete shape does its planning (None until it ran).
    ``shapes`` are the concrete signatures that ran on this trace (more than one when the
    trace has unknown dims); ``steady_ms`` is the mean time of the runs after the first.
    Under a bucket policy, ``real_steps`` and ``pad_steps`` add up the true and the padded
    lengths of the calls, the price of sharing the bucket's trace.
    """

    signature: str
    reason: str
    trace_ms: float
    compile_ms: float
    nodes: int
    calls: int = 0
    first_run_ms: float | None = None
    shapes: set = field(default_factory=set)
    later_runs: int = 0
    later_ms: float = 0.0
    real_steps: int = 0
    pad_steps: int = 0

    def padded(self, size: int, length: int) -> None:
        """Account for a call of ``length`` steps padded to ``size``."""
        self.real_steps += length
        self.pad_steps += size - length

    @property
    def pad_fraction(self) -> float | None:
        """The share of the steps run that were padding (None: no padded calls)."""
        total = self.real_steps + self.pad_steps
        return self.pad_steps / total if total else None

    def ran(self, ms: float) -> None:
        """Account for one execution of this trace's graph that took ``ms``."""
        if self.first_run_ms is None:
            self.first_run_ms = ms
        else:
            self.later_runs += 1
            self.later_ms += ms

    @property
    def steady_ms(self) -> float | None:
        """Mean run time after the first run (the first when there was only one)."""
        if self.later_runs:
            return self.later_ms / self.later_runs
        return self.first_run_ms


@dataclass
class Eviction:
    """One entry a bounded cache dropped: a ``"trace"`` (of the function's trace cache), or a
    ``"plan"`` or ``"step"`` of trace number ``trace``'s Session; ``what`` is its signature
    or fetch list, ``call`` the ledger's call count when it happened, ``limit`` the bound
    that was hit (``max_traces=64``)."""

    kind: str
    what: str
    trace: int
    call: int
    limit: str

    def describe(self) -> str:
        owner = "" if self.kind == "trace" else " of trace"
        return (f"evicted {self.kind}{owner} {self.trace} {self.what} at call {self.call} "
                f"({self.limit}, least recently used)")


@dataclass
class TraceLedger:
    """Every (re)trace of a `Function`, with hit and miss counts; ``print`` it for a table.

    ``evictions`` holds the latest `Eviction`s (``evicted`` counts them all)."""

    name: str
    records: list[TraceRecord] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
    policy: str = "exact"
    eager_step_ms: float | None = None  # set by `payback`, shown by ``print``
    evictions: list[Eviction] = field(default_factory=list)
    evicted: int = 0
    # What a plain function read from closures and globals: captured by reference (Module
    # parameters, tensors, arrays), or frozen into the trace as constants, with why.
    captured: list[str] = field(default_factory=list)
    frozen: dict[str, str] = field(default_factory=dict)

    def note_captured(self, names: list[str]) -> None:
        """Remember values a trace captured by reference from outside the function."""
        self.captured += [n for n in names if n not in self.captured]

    def note_frozen(self, name: str, why_frozen: str) -> None:
        """Remember a value a trace had to bake in as a constant (listed once)."""
        self.frozen.setdefault(name, why_frozen)

    def record_eviction(self, kind: str, what: str, trace: int, limit: str) -> Eviction:
        """Write down that a bounded cache dropped an entry (see `Eviction`)."""
        event = Eviction(kind, what, trace, self.calls, limit)
        self.evicted += 1
        self.evictions.append(event)
        del self.evictions[:-MAX_EVICTIONS_KEPT]
        return event

    @property
    def traces(self) -> int:
        return len(self.records)

    @property
    def calls(self) -> int:
        return self.hits + self.misses

    @property
    def total_ms(self) -> float:
        """Time spent tracing and compiling, all traces together."""
        return sum(r.trace_ms + r.compile_ms for r in self.records)

    def payback(self, eager_step_seconds: float) -> int | None:
        """Calls after which the compiled path has paid off against eager, or None if never.

        Static time for N calls is modelled as ``one_off + N * steady``: ``one_off`` is every
        trace and compile plus each first run's excess over its trace's steady time, ``steady``
        the mean steady run time over the calls made so far. Eager costs N * ``eager``; the
        break-even is the smallest N with ``one_off <= N * (eager - steady)``. The estimate
        also appears when the ledger is printed.
        """
        self.eager_step_ms = float(eager_step_seconds) * 1e3
        ran = [r for r in self.records if r.first_run_ms is not None]
        if not ran:
            return None
        one_off = self.total_ms + sum(r.first_run_ms - r.steady_ms for r in ran)
        steady = sum(r.steady_ms * r.calls for r in ran) / sum(r.calls for r in ran)
        saving = self.eager_step_ms - steady
        if saving <= 0:
            return None
        return max(1, math.ceil(one_off / saving))

    def _payback_line(self) -> str:
        n = self.payback(self.eager_step_ms / 1e3)
        ran = [r for r in self.records if r.first_run_ms is not None]
        steady = sum(r.steady_ms * r.calls for r in ran) / max(1, sum(r.calls for r in ran))
        head = f"  payback: eager {self.eager_step_ms:.3f} ms/call, compiled {steady:.3f} ms/call"
        if n is None:
            return head + "; the compiled path never pays back its trace and compile cost"
        done = "paid back" if self.calls >= n else "not yet paid back"
        return head + f"; pays back after {n} calls ({self.calls} made: {done})"

    def __str__(self) -> str:
        hits = f"{self.hits} hit{'' if self.hits == 1 else 's'}"
        misses = f"{self.misses} miss{'' if self.misses == 1 else 'es'}"
        title = self.name if self.policy == "exact" else f"{self.name}, {self.policy}"
        evicted = f", {self.evicted} eviction{'' if self.evicted == 1 else 's'}" \
            if self.evicted else ""
        head = (f"TraceLedger({title}): {self.traces} trace{'' if self.traces == 1 else 's'}"
                f", {self.calls} calls ({hits}, {misses}{evicted})")
        if not self.records:
            return head
        # Shape and steady-time columns only where they tell something (varying shapes or a
        # payback question); the default table stays as it was.
        extra = self.policy != "exact" or self.eager_step_ms is not None \
            or any(len(r.shapes) > 1 for r in self.records)
        padding = any(r.pad_fraction is not None for r in self.records)
        sig_w = max(9, *(len(r.signature) for r in self.records))
        why_w = max(6, *(len(r.reason) for r in self.records))
        lines = [head, f"  {'#':>2}  {'signature':<{sig_w}}  {'reason':<{why_w}}  "
                       f"{'trace ms':>8}  {'compile ms':>10}  {'1st run ms':>10}  {'nodes':>5}  "
                       f"{'calls':>5}" + (f"  {'shapes':>6}  {'run ms':>7}" if extra else "")
                       + (f"  {'pad %':>5}" if padding else "")]
        for i, r in enumerate(self.records, 1):
            lines.append(f"  {i:>2}  {r.signature:<{sig_w}}  {r.reason:<{why_w}}  "
                         f"{r.trace_ms:>8.2f}  {r.compile_ms:>10.2f}  "
                         f"{'-' if r.first_run_ms is None else f'{r.first_run_ms:.2f}':>10}  "
                         f"{r.nodes:>5}  "
                         f"{r.calls:>5}"
                         + (f"  {len(r.shapes):>6}  "
                            f"{'-' if r.steady_ms is None else f'{r.steady_ms:.2f}':>7}"
                            if extra else "")
                         + (f"  {_percent(r.pad_fraction):>5}" if padding else ""))
        lines += self._eviction_lines()
        if self.captured:
            lines.append("  captured by reference: " + ", ".join(self.captured))
        lines += [f"  frozen as a constant: {name} ({why_frozen})"
                  for name, why_frozen in self.frozen.items()]
        shape_retraces = sum(": shape " in r.reason for r in self.records)
        # The common waste: one trace per batch size (other policies retrace by design).
        if shape_retraces >= 2 and self.policy == "exact":
            lines.append(f"  hint: {shape_retraces} retraces were caused by shape changes; "
                         "input_signature=[TensorSpec((None, ...))] traces once for all sizes")
        if self.eager_step_ms is not None:
            lines.append(self._payback_line())
        return "\n".join(lines)


    def _eviction_lines(self) -> list[str]:
        """The latest evictions, and a hint when retraces were caused by them."""
        if not self.evicted:
            return []
        shown = self.evictions[-EVICTIONS_SHOWN:]
        lines = [f"  {e.describe()}" for e in shown]
        if self.evicted > len(shown):
            lines.insert(0, f"  ... {self.evicted - len(shown)} earlier evictions")
        retraces = sum(r.reason.startswith(EVICTED_REASON) for r in self.records)
        if retraces:
            lines.append(f"  hint: {retraces} retrace{'' if retraces == 1 else 's'} of evicted "
                         "signatures; a larger max_traces keeps more traces")
        return lines


# The start of a retrace's reason when its signature had been evicted (see static.function).
EVICTED_REASON = "evicted before"


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{100 * fraction:.0f}"
