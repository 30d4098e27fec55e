"""Plots for the HTML report, drawn with matplotlib's Agg backend (no display) as SVG files.

Each function writes one SVG into the report folder and returns its file name (relative, so
the HTML links stay valid when the folder is moved).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: never try to open a window

import matplotlib.pyplot as plt  # noqa: E402

_COLORS = {"eager": "#1f77b4", "static": "#d62728"}


def _save(fig, out: Path, name: str) -> str:
    fig.tight_layout()
    fig.savefig(out / name, format="svg")
    plt.close(fig)
    return name


def loss_curves(model: dict, out: Path) -> str:
    """Training loss per step in both modes (the lines should lie on top of each other)."""
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    for mode, style in (("eager", "-o"), ("static", "--x")):
        values = model["losses"][mode]
        ax.plot(range(1, len(values) + 1), values, style, color=_COLORS[mode], label=mode,
                markersize=4)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(f"{model['name']}: loss")
    ax.legend()
    return _save(fig, out, f"{model['name']}_loss.svg")


def step_times(models: list[dict], out: Path) -> str:
    """Box plots of steady-state step times, eager and static side by side, per model."""
    fig, ax = plt.subplots(figsize=(max(4.0, 1.4 * len(models)), 3.0))
    data, positions, colors, ticks = [], [], [], []
    for i, m in enumerate(models):
        for j, mode in enumerate(("eager", "static")):
            data.append(m["timing"][mode]["steady"]["samples_ms"] or [0.0])
            positions.append(3 * i + j)
            colors.append(_COLORS[mode])
        ticks.append(3 * i + 0.5)
    boxes = ax.boxplot(data, positions=positions, widths=0.8, patch_artist=True)
    for patch, color in zip(boxes["boxes"], colors, strict=True):
        patch.set_facecolor(color)
        patch.set_alpha(0.5)
    ax.set_xticks(ticks, [m["name"] for m in models], rotation=20)
    ax.set_ylabel("step time (ms)")
    ax.set_title("steady-state step times (blue eager, red static)")
    return _save(fig, out, "step_times.svg")


def payback(model: dict, out: Path, horizon: int | None = None) -> str | None:
    """Cumulative wall time over n steps: eager vs static including trace and compile, as
    measured over the timed steps (dashed past them: steady steps), or modelled from the
    setup and steady medians for an older report (None when no steady step was timed)."""
    t = model["timing"]
    if t["eager"]["steady"]["median_ms"] is None or t["static"]["steady"]["median_ms"] is None:
        return None
    e_first, e_step = t["eager"]["first_step_ms"], t["eager"]["steady"]["median_ms"]
    s_setup = t["static"]["trace_ms"] + t["static"]["compile_ms"]
    s_first, s_step = t["static"]["first_step_ms"], t["static"]["steady"]["median_ms"]
    pay = t["payback"]["steps"]
    running = t["payback"].get("running_ms")
    n = horizon or max(20, int(1.5 * pay) if pay else 50, len(running["eager"]) if running else 0)
    steps = list(range(1, n + 1))
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    if running:  # measured running totals (every setup cost at its step), then steady steps
        timed = min(len(running["eager"]), n)
        for mode, label in (("eager", "eager"), ("static", "static (+trace, compile)")):
            step = e_step if mode == "eager" else s_step
            last = running[mode][timed - 1]
            ax.plot(steps[:timed], running[mode][:timed], color=_COLORS[mode], label=label)
            ax.plot(range(timed, n + 1), [last + (k - timed) * step for k in
                                          range(timed, n + 1)], color=_COLORS[mode],
                    linestyle="--")
    else:
        ax.plot(steps, [e_first + (k - 1) * e_step for k in steps], color=_COLORS["eager"],
                label="eager")
        ax.plot(steps, [s_setup + s_first + (k - 1) * s_step for k in steps],
                color=_COLORS["static"], label="static (+trace, compile)")
    if pay:
        ax.axvline(pay, color="gray", linestyle=":", label=f"pays back at {pay}")
    ax.set_xlabel("steps")
    ax.set_ylabel("cumulative ms")
    ax.set_title(f"{model['name']}: compile-time payback")
    ax.legend(fontsize=7)
    return _save(fig, out, f"{model['name']}_payback.svg")


def op_profile(model: dict, out: Path, top: int = 8) -> str:
    """Per-op kernel time per step (top ops), both modes, plus each mode's overhead."""
    prof = model["profile"]
    ops = [r["op"] for r in prof["eager"]["ops"][:top]]
    for r in prof["static"]["ops"][:top]:
        if r["op"] not in ops:
            ops.append(r["op"])
    labels = ops + ["(overhead)"]
    fig, ax = plt.subplots(figsize=(4.6, 0.25 * len(labels) + 1.2))
    for k, mode in enumerate(("eager", "static")):
        by_op = {r["op"]: r["ms"] for r in prof[mode]["ops"]}
        values = [by_op.get(op, 0.0) for op in ops] + [prof[mode]["overhead_ms"]]
        ax.barh([i + 0.4 * k for i in range(len(labels))], values, height=0.4,
                color=_COLORS[mode], label=mode)
    ax.set_yticks([i + 0.2 for i in range(len(labels))], labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("ms per step")
    ax.set_title(f"{model['name']}: per-op profile")
    ax.legend(fontsize=7)
    return _save(fig, out, f"{model['name']}_profile.svg")
