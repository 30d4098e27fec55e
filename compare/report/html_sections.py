"""Report sections about the run itself: settings and environment, and the baseline diff."""

from __future__ import annotations

from .baseline import NOISE
from .html_table import e as _e
from .html_table import num as _num
from .html_table import table as _table


def settings_section(doc: dict) -> str:
    """The run's settings and the environment it was measured in, as two small tables."""
    settings = _table(["setting", "value"], [
        [_e(k), _e(", ".join(v) if isinstance(v, list) else v) if v != [] else "(none)"]
        for k, v in doc["settings"].items()])
    env = doc.get("environment") or {}
    threads = env.get("threads") or {}
    rows = [[_e(k), _e(env[k] if env.get(k) is not None else "not installed")]
            for k in ("python", "numpy", "torch", "dualgraph", "cpu", "cpu_count", "platform")
            if k in env]
    rows += [[_e(f"threads: {k}"), _e(v)] for k, v in threads.items()]
    env_table = _table(["environment", ""], rows) if rows else ""
    return f'<div class="row"><div>{settings}</div><div>{env_table}</div></div>'


def baseline_section(diff: dict | None) -> str:
    """What changed since the ``--baseline`` report: verdicts first, then every figure."""
    if not diff:
        return ""
    parts = [f"<h2>since the baseline report of {_e(diff['baseline_created'])}</h2>"]
    for k, (a, b) in diff["environment_changes"].items():
        parts.append(f'<p class="na">environment changed: {_e(k)}: {_e(a)} &rarr; {_e(b)}</p>')
    for f in diff["agreement_changes"]:
        parts.append(f'<p class="bad">agreement changed: {_e(f["model"])}: {_e(f["old"])} '
                     f'&rarr; {_e(f["new"])}</p>')
    order = {"slower": 0, "faster": 1, "same": 2}
    rows = sorted(diff["rows"], key=lambda r: order[r["verdict"]])
    css = {"slower": "bad", "faster": "ok", "same": ""}
    parts.append(_table(["model", "figure", "before", "now", "ratio", f"verdict (±{NOISE:.0%})"],
                        [[_e(r["model"]), _e(r["figure"]), _e(r["old"]), _e(r["new"]),
                          _num(r["ratio"], ".2f"),
                          f'<span class="{css[r["verdict"]]}">{r["verdict"]}</span>']
                         for r in rows]))
    for key, what in (("only_new", "models new in this report"),
                      ("only_old", "models only in the baseline")):
        if diff[key]:
            parts.append(f"<p>{what}: {_e(', '.join(diff[key]))}</p>")
    return "".join(parts)
