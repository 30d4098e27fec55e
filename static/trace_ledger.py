"""The trace ledger and call signatures: what decides whether a trace is reused, and why not.

A call's signature is its argument structure plus, for every leaf, the shape and dtype of an
array or the value of a Python argument. `static.function` keys its cache with it; on a miss,
`why` compares the new signature with the cached ones and names the difference
(``x: shape (4, 10) -> (3, 10)``), and the `TraceLedger` keeps one `TraceRecord` per trace.

    >>> ledger = TraceLedger("f")
    >>> print(ledger)
    TraceLedger(f): 0 traces, 0 calls (0 hits, 0 misses)

Every run is timed, so the ledger can say when compiling paid off: given what one eager step
costs, `TraceLedger.payback` is the number of calls after which the one-off cost (tracing,
compiling, the slower first runs) is covered by the per-call saving of the compiled path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shared_ops import dtypes as dt

from .tracing import TensorSpec, flatten, is_array_like

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
class TraceLedger:
    """Every (re)trace of a `Function`, with hit and miss counts; ``print`` it for a table."""

    name: str
    records: list[TraceRecord] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
    policy: str = "exact"
    eager_step_ms: float | None = None  # set by `payback`, shown by ``print``

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
        head = (f"TraceLedger({title}): {self.traces} trace{'' if self.traces == 1 else 's'}"
                f", {self.calls} calls ({hits}, {misses})")
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
        shape_retraces = sum(": shape " in r.reason for r in self.records)
        # The common waste: one trace per batch size (other policies retrace by design).
        if shape_retraces >= 2 and self.policy == "exact":
            lines.append(f"  hint: {shape_retraces} retraces were caused by shape changes; "
                         "input_signature=[TensorSpec((None, ...))] traces once for all sizes")
        if self.eager_step_ms is not None:
            lines.append(self._payback_line())
        return "\n".join(lines)


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{100 * fraction:.0f}"


# ---------------------------------------------------------------------------------------------
# Signatures: what decides whether a trace can be reused


@dataclass(frozen=True)
class CallArg:
    """One leaf of the call: an array (by shape and dtype) or a Python value (by value)."""

    name: str
    shape: tuple | None
    dtype: np.dtype | None
    value: Any = None

    def describe(self) -> str:
        if self.shape is None:
            return f"{self.name}={self.value!r}"
        dims = ",".join("?" if d is None else str(d) for d in self.shape)
        return f"{self.name}: {dt.short_name(self.dtype)}[{dims}]"


def signature_of(names: list[str], args: tuple, kwargs: dict, specs) -> tuple:
    """(structure, leaves): structure is the nesting of arguments; leaves are `CallArg`s."""
    leaves: list[Any] = []
    template = flatten((args, dict(sorted(kwargs.items()))), leaves)
    labels = _leaf_labels(names, args, kwargs)
    out = []
    spec_iter = iter(specs) if specs is not None else None
    for label, leaf in zip(labels, leaves, strict=True):
        if is_array_like(leaf):
            if spec_iter is not None:
                spec = next(spec_iter, None)
                if spec is None or not spec.matches(leaf):
                    raise TypeError(f"static.function: argument {label} ({TensorSpec.of(leaf)}) "
                                    f"does not match the input_signature entry {spec}")
                out.append(CallArg(label, tuple(spec.shape), spec.dtype))
            else:
                out.append(CallArg(label, tuple(leaf.shape), np.dtype(leaf.dtype)))
        else:
            try:
                hash(leaf)
            except TypeError:
                raise TypeError(f"static.function: argument {label} is a "
                                f"{type(leaf).__name__}, which is neither an array nor "
                                "hashable, so it cannot key the trace cache") from None
            out.append(CallArg(label, None, None, leaf))
    return template, tuple(out)


def _leaf_labels(names: list[str], args: tuple, kwargs: dict) -> list[str]:
    labels = []
    for i, a in enumerate(args):
        base = names[i] if i < len(names) else f"arg{i}"
        n: list[Any] = []
        flatten(a, n)
        labels += [base] if len(n) == 1 and not isinstance(a, list | tuple | dict) else \
            [f"{base}[{j}]" for j in range(len(n))]
    for k, v in sorted(kwargs.items()):
        n = []
        flatten(v, n)
        labels += [k] if len(n) == 1 and not isinstance(v, list | tuple | dict) else \
            [f"{k}[{j}]" for j in range(len(n))]
    return labels


def why(key: tuple, known: list[tuple]) -> str:
    """Why ``key`` missed the cache: the difference from the most similar cached signature."""
    if not known:
        return "first call"
    same_structure = [k for k in known if k[0] == key[0] and len(k[1]) == len(key[1])]
    if not same_structure:  # e.g. a keyword argument given for the first time
        def names(k: tuple) -> str:
            return "(" + ", ".join(a.name for a in k[1]) + ")"
        return f"arguments {names(known[-1])} -> {names(key)}"
    best = min(same_structure, key=lambda k: sum(a != b for a, b in zip(k[1], key[1],
                                                                         strict=True)))
    diffs = []
    for old, new in zip(best[1], key[1], strict=True):
        if old == new:
            continue
        if (old.shape is None) != (new.shape is None):
            diffs.append(f"{new.name}: array <-> Python value")
        elif old.shape is None:
            diffs.append(f"{new.name}: value {old.value!r} -> {new.value!r}")
        elif old.dtype != new.dtype:
            diffs.append(f"{new.name}: dtype {old.dtype} -> {new.dtype}")
        else:
            diffs.append(f"{new.name}: shape {old.shape} -> {new.shape}")
    return "; ".join(diffs)


