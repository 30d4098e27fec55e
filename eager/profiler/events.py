"""What a profile reports: `FunctionEventAvg` (one row: a name, or a name and input shapes,
with its call count and times) and `EventList` (the rows; ``table()`` prints them in
PyTorch's layout, ``export_chrome_trace`` writes the timeline as Chrome trace JSON).

    >>> rows = EventList([FunctionEventAvg("matmul", 2, 30.0, 30.0)])
    >>> print(rows.table())  # doctest: +NORMALIZE_WHITESPACE
    ----------  ------------  ------------  ------------  ------------  ------------  ------------
          Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls
    ----------  ------------  ------------  ------------  ------------  ------------  ------------
        matmul       100.00%      30.000us       100.00%      30.000us      15.000us             2
    ----------  ------------  ------------  ------------  ------------  ------------  ------------
    Self CPU time total: 30.000us
    <BLANKLINE>
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .recorder import Event

_COLUMN = 12  # PyTorch's width of every column but the name and the shapes
_MAX_NAME, _MAX_SHAPES = 55, 80


@dataclass
class FunctionEventAvg:
    """One row of `EventList`: ``key`` (the op or range name), ``count``, and the summed
    ``cpu_time_total`` and ``self_cpu_time_total`` in microseconds (``cpu_time``: their
    average per call)."""

    key: str
    count: int = 0
    cpu_time_total: float = 0.0
    self_cpu_time_total: float = 0.0
    input_shapes: list = field(default_factory=list)

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / self.count if self.count else 0.0

    @property
    def self_cpu_time(self) -> float:
        return self.self_cpu_time_total / self.count if self.count else 0.0

    def __repr__(self) -> str:
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={_time(self.self_cpu_time)} "
                f"cpu_time={_time(self.cpu_time)} input_shapes={self.input_shapes}>")


def _time(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _share(us: float, total: float) -> str:
    return "NaN" if total == 0 else f"{us * 100.0 / total:.2f}%"


class EventList(list):
    """Rows (`FunctionEventAvg`), as ``prof.key_averages()`` returns them."""

    def table(self, sort_by: str | None = None, row_limit: int = 100,
              max_src_column_width: int = 75, max_name_column_width: int = _MAX_NAME,
              max_shapes_column_width: int = _MAX_SHAPES, header: str | None = None,
              top_level_events_only: bool = False) -> str:
        """PyTorch's table: one line per row, sorted by ``sort_by`` (a row attribute such as
        ``"cpu_time_total"``, largest first), at most ``row_limit`` rows."""
        rows = list(self)
        if sort_by is not None:
            rows.sort(key=lambda r: getattr(r, sort_by), reverse=True)
        total = sum(r.self_cpu_time_total for r in self)
        if not rows:
            return ""
        shapes = any(r.input_shapes for r in rows)
        widths = [min(max(len(r.key) for r in rows) + 4, max_name_column_width)] + [_COLUMN] * 6
        headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total",
                   "CPU time avg", "# of Calls"]
        if shapes:
            widths.append(min(max(len(str(r.input_shapes)) for r in rows) + 4,
                              max_shapes_column_width))
            headers.append("Input Shapes")

        def line(cells: list) -> str:
            return "".join(f"{c:>{w}}  " for c, w in zip(cells, widths, strict=True))

        rule = "".join("-" * w + "  " for w in widths)
        out = [rule, line(headers), rule]
        if row_limit > 0:
            rows = rows[:row_limit]
        for r in rows:
            name = r.key if len(r.key) < widths[0] - 3 else r.key[:widths[0] - 3] + "..."
            cells = [name, _share(r.self_cpu_time_total, total), _time(r.self_cpu_time_total),
                     _share(r.cpu_time_total, total), _time(r.cpu_time_total),
                     _time(r.cpu_time), str(r.count)]
            if shapes:
                cells.append(str(r.input_shapes)[:widths[-1]])
            out.append(line(cells))
        out += [rule, f"Self CPU time total: {_time(total)}", ""]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.table()


def averages(events: list[Event], group_by_input_shape: bool = False) -> EventList:
    """The rows of ``events``, one per name (and per input shapes when grouped by them), in
    order of first appearance."""
    rows: dict[Any, FunctionEventAvg] = {}
    for e in sorted(events, key=lambda e: e.start_ns):
        key = (e.name, str(e.shapes)) if group_by_input_shape else e.name
        row = rows.get(key)
        if row is None:
            row = rows[key] = FunctionEventAvg(e.name, input_shapes=e.shapes
                                               if group_by_input_shape else [])
        row.count += 1
        row.cpu_time_total += e.total_us
        row.self_cpu_time_total += e.self_us
    return EventList(rows.values())


def export_chrome_trace(events: list[Event], path: str | os.PathLike, origin_ns: int) -> None:
    """Write ``events`` as Chrome's trace format (JSON: open it in chrome://tracing)."""
    trace = [{"name": e.name, "ph": "X", "cat": "user_annotation" if e.user else "cpu_op",
              "ts": (e.start_ns - origin_ns) / 1e3, "dur": (e.end_ns - e.start_ns) / 1e3,
              "pid": os.getpid(), "tid": 0, "args": {"Input Dims": e.shapes}}
             for e in sorted(events, key=lambda e: e.start_ns)]
    with open(path, "w") as f:
        json.dump({"traceEvents": trace}, f)


__all__ = ["EventList", "FunctionEventAvg", "averages", "export_chrome_trace"]
