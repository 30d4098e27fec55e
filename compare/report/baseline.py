"""`dualgraph compare --baseline old/report.json`: what got faster, slower or changed
agreement since a previous report.

Per model both reports ran: eager and static steady step (median), static setup (trace +
compile) and peak memory, old -> new, and a verdict: ``faster`` / ``slower`` when the ratio
leaves the noise band (`NOISE`, ±10%), else ``same``; agreement that flipped is listed on its
own. Models in only one report are named. Differences in the environment (CPU, versions,
threads) are reported first, since they explain timing changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .units import duration, size

NOISE = 0.10


class BaselineError(ValueError):
    """The baseline file cannot be read as a `dualgraph compare` report."""


def load_baseline(path: Path) -> dict:
    """The old report; `BaselineError` (one line) when it is missing or not a report."""
    try:
        doc = json.loads(path.read_text())
    except OSError as e:
        raise BaselineError(f"--baseline {path}: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"--baseline {path}: not JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(doc, dict) or doc.get("tool") != "dualgraph compare" or \
            not isinstance(doc.get("models"), list):
        raise BaselineError(f"--baseline {path}: not a dualgraph compare report.json")
    return doc


def _figures(m: dict) -> dict[str, tuple[float | None, Any]]:
    t, mem = m.get("timing") or {}, m.get("memory") or {}

    def get(*keys):
        value: Any = t
        for k in keys:
            value = value.get(k) if isinstance(value, dict) else None
        return value

    setup = (get("static", "trace_ms") or 0) + (get("static", "compile_ms") or 0) \
        if get("static", "trace_ms") is not None else None
    return {"eager step": (get("eager", "steady", "median_ms"), duration),
            "static step": (get("static", "steady", "median_ms"), duration),
            "static setup": (setup, duration),
            "eager peak memory": ((mem.get("eager") or {}).get("peak_bytes"), size),
            "static peak memory": ((mem.get("static") or {}).get("peak_bytes"), size)}


def _verdict(old: float, new: float) -> str:
    if old <= 0 or new <= 0:
        return "same" if old == new else ("slower" if new > old else "faster")
    ratio = new / old
    if ratio > 1 + NOISE:
        return "slower"
    if ratio < 1 / (1 + NOISE):
        return "faster"
    return "same"


def compare_reports(new: dict, old: dict) -> dict:
    """``{"rows": [...], "agreement_changes": [...], "only_new", "only_old", "environment"}``;
    each row: model, figure, old, new (texts), ratio and verdict."""
    olds = {m["name"]: m for m in old["models"]}
    news = {m["name"]: m for m in new["models"]}
    rows, flips = [], []
    for name, m in news.items():
        if name not in olds:
            continue
        o = olds[name]
        ok_new = "error" not in m and m["agreement"]["agrees"]
        ok_old = "error" not in o and (o.get("agreement") or {}).get("agrees", False)
        if ok_new != ok_old:
            flips.append({"model": name, "old": "agrees" if ok_old else "disagrees or failed",
                          "new": "agrees" if ok_new else "disagrees or failed"})
        fo, fn = _figures(o), _figures(m)
        for figure, (value, fmt) in fn.items():
            before = fo[figure][0]
            if value is None or before is None:
                continue
            verdict = _verdict(before, value)  # every figure here: lower is better
            rows.append({"model": name, "figure": figure, "old": fmt(before), "new": fmt(value),
                         "ratio": round(value / before, 3) if before else None,
                         "verdict": verdict})
    env_old, env_new = old.get("environment") or {}, new.get("environment") or {}
    env = {k: [env_old.get(k), env_new.get(k)] for k in sorted(set(env_old) | set(env_new))
           if env_old.get(k) != env_new.get(k)}
    return {"baseline_created": old.get("created", "?"), "rows": rows,
            "agreement_changes": flips, "only_new": sorted(set(news) - set(olds)),
            "only_old": sorted(set(olds) - set(news)), "environment_changes": env}


def text_lines(diff: dict) -> list[str]:
    """The comparison as plain lines for the terminal."""
    out = [f"since the baseline report of {diff['baseline_created']}:"]
    for k, (a, b) in diff["environment_changes"].items():
        out.append(f"  environment changed: {k}: {a} -> {b}")
    for f in diff["agreement_changes"]:
        out.append(f"  agreement changed: {f['model']}: {f['old']} -> {f['new']}")
    for r in diff["rows"]:
        if r["verdict"] != "same":
            out.append(f"  {r['verdict']}: {r['model']} {r['figure']} {r['old']} -> {r['new']}"
                       f" (x{r['ratio']})")
    same = sum(r["verdict"] == "same" for r in diff["rows"])
    out.append(f"  unchanged within ±{NOISE:.0%}: {same} of {len(diff['rows'])} figures")
    for key, what in (("only_new", "new models"), ("only_old", "models gone")):
        if diff[key]:
            out.append(f"  {what}: {', '.join(diff[key])}")
    return out
