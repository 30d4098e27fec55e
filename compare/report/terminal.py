"""The terminal summary: one row per model (rich table), and the fault table.

Cells show the figures a reader checks first: does it agree (and the worst error against the
tolerance), what static costs up front, the steady step of both modes, when static pays back,
and peak memory per step.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..onnx_column import terminal_table
from .units import duration, size


def _step(stats: dict) -> str:
    if not stats or stats.get("median_ms") is None:
        return "-"
    return f"{duration(stats['median_ms'])} ±{duration(stats['iqr_ms'])}"


def _pay(payback: dict) -> str:
    if payback["steps"] is not None:
        epoch = payback.get("epoch")  # batches per epoch: in which epoch static pays back
        where = f" (epoch {1 + (payback['steps'] - 1) // epoch})" if epoch else ""
        return f"{payback['steps']} steps{where}"
    return "-" if payback["reason"].startswith("not available") else "never"


def model_table(models: list[dict[str, Any]]) -> Table:
    """The summary table for a list of model results (as `runner.run_model` returns)."""
    table = Table(title="dualgraph compare: eager vs static (setup = trace + compile; step: "
                  "median ±IQR)", title_justify="left")
    for col, just in (("model", "left"), ("agree", "center"), ("max abs err", "right"),
                      ("tol", "right"), ("setup", "right"), ("eager step", "right"),
                      ("static step", "right"), ("payback", "right"),
                      ("peak mem e/s", "right")):
        table.add_column(col, justify=just, no_wrap=col in ("model", "peak mem e/s"))
    for m in models:
        if "error" in m:
            # In the column of the phase that failed (its type and the user's line); the
            # message would squeeze every column: all of it is printed below the table.
            err = m["error"]
            cells = ["", "", "", "", "", ""]  # max abs err, tol, setup, eager, static, payback
            slot = {"setup": 2, "eager": 3, "static": 4}[err.get("phase", "setup")]
            cells[slot] = escape(err["type"] + (f" at {err['user_line']}"
                                                if err.get("user_line") else ""))
            table.add_row(m["name"], "[red]error[/red]", *cells, "message below")
            continue
        a, t, mem = m["agreement"], m["timing"], m["memory"]
        worst = a[a["worst_section"]] if a.get("worst_section") else {"max_abs": 0.0}
        mark = "[green]yes[/green]" if a["agrees"] else "[red]NO[/red]"
        table.add_row(
            m["name"], mark, f"{worst['max_abs']:.1e}",
            f"{a['tolerance']:.0e}",
            duration(t["static"]["trace_ms"] + t["static"]["compile_ms"]),
            _step(t["eager"]["steady"]), _step(t["static"]["steady"]),
            _pay(t["payback"]),
            f"{size(mem['eager']['peak_bytes'])} / {size(mem['static']['peak_bytes'])}")
    return table


def fault_table(faults: list[dict[str, Any]]) -> Table:
    """One row per (fault, mode): when it surfaced, the exception, and what the message names."""
    table = Table(title="fault catalogue: when and how each injected fault is reported",
                  title_justify="left")
    for col, width in (("fault", 18), ("mode", 6), ("surfaced", 9), ("exception", 16),
                       ("op", 3), ("shapes", 6), ("line", 4)):
        table.add_column(col, no_wrap=True, min_width=width)
    table.add_column("message", overflow="fold", min_width=30)  # wrapped, never cut
    yes = {True: "[green]yes[/green]", False: "[red]no[/red]"}
    for f in faults:
        for mode, r in f["modes"].items():
            table.add_row(f["name"], mode, r["surfaced"], r["exception"] or "-",
                          yes[r["names_op"]], yes[r["names_shapes"]], yes[r["names_user_line"]],
                          escape(r["message"] or ""))
    return table


def wide_console() -> Console:
    """A console at least 120 columns wide (pipes and CI logs default to 80)."""
    console = Console()
    if not console.is_terminal and console.width < 120:
        console = Console(width=120)
    return console


def print_summary(models: list[dict], faults: list[dict] | None = None,
                  console: Console | None = None, notes: dict | None = None) -> None:
    """Print the model table (and the fault table), then any not-available notes."""
    console = console or wide_console()
    if models:
        console.print(model_table(models))
        onnx = terminal_table(models)  # the onnxruntime column, when it was measured
        if onnx is not None:
            console.print(onnx)
    if faults:
        console.print(fault_table(faults))
    for m in models:
        err = m.get("error") or {}
        if err:
            where = f" in {err['mode']} mode at step {err['step']}" if "mode" in err else ""
            # escaped: "[2, 3]" in a message is text, not rich markup to swallow
            console.print(f"[red]{m['name']} failed{where}[/red]: {err['type']}: "
                          f"{escape(err['message'])}", highlight=False)
        if err.get("replay"):
            r = err["replay"]
            console.print(f"  eager replay of the same inputs: {r['exception'] or 'no error'} "
                          f"at {escape(r.get('user_line') or '?')}: {escape(r['message'])}",
                          highlight=False)
        for key in ("diff", "attribution"):
            if key in m:
                console.print(f"[red]{m['name']} {key}[/red]: {escape(m[key]['text'])}")
    for m in models:
        for key, reason in m.get("not_available", {}).items():
            console.print(f"[yellow]not available[/yellow] {m['name']} {key}: {reason}")
    for key, reason in (notes or {}).items():
        console.print(f"[yellow]not available[/yellow] {key}: {reason}")
