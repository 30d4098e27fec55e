"""The HTML report: one self-contained page that opens from disk (no server, no scripts).

Plots and diagrams are SVG files beside ``report.html`` and linked relatively, so the folder
can be moved or zipped as a whole. Sections: settings and notes, the summary table, step-time
distributions, then per model (agreement, loss curves, payback, per-op profile, memory,
diagrams of both modes with the structural check), and the fault catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..onnx_column import html_section as onnx_html
from . import plots
from .html_sections import baseline_section, settings_section
from .html_table import e as _e
from .html_table import num as _num
from .html_table import table as _table
from .html_table import yes as _yes
from .units import duration, size

_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; max-width: 1300px; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.ok { color: #137333; font-weight: bold; } .bad { color: #c5221f; font-weight: bold; }
.na { color: #9a6700; }
pre { background: #f7f7f7; padding: 6px; white-space: pre-wrap; font-size: 12px; margin: 0; }
.row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.diagram { border: 1px solid #ddd; padding: 4px; max-width: 100%; max-height: 85vh;
           overflow: auto; }
.diagram img { max-width: 100%; height: auto; }
.diagram details img { max-width: none; }
"""


_INTRO = """<p>Each model is built twice from one seed and trained on the same batches in the
same order: eagerly (tape autograd) and as a static graph (traced, differentiated, compiled).
<b>agree</b>: outputs, losses and gradients of every step and the final parameters differ by at
most tol &times; max(1, |eager|) (tol 1e-6 in float64, 1e-4 in float32). <b>setup</b>: trace +
compile time of the static mode. <b>step</b>: median steady-state step. <b>payback</b>: the
number of steps after which static mode's total time, setup included, drops below eager's.</p>
"""


def _img(name: str, alt: str) -> str:
    return f'<img src="{_e(name)}" alt="{_e(alt)}">'


def _notes(notes: dict) -> str:
    if not notes:
        return ""
    items = "".join(f"<li><b>{_e(k)}</b>: not available: {_e(v)}</li>" for k, v in notes.items())
    return f'<ul class="na">{items}</ul>'


def _summary(models: list[dict]) -> str:
    rows = []
    for m in models:
        if "error" in m:  # in the column of the phase that failed, with the user's line
            err = m["error"]
            cells = ["", "", "", "", "", ""]
            slot = {"setup": 1, "eager": 2, "static": 3}[err.get("phase", "setup")]
            cells[slot] = (f'<span class="bad">{_e(err["type"])}</span>'
                           + (f' at {_e(err["user_line"])}' if err.get("user_line") else "")
                           + f' (<a href="#{_e(m["name"])}">message</a>)')
            rows.append([_e(m["name"]), '<span class="bad">error</span>', *cells])
            continue
        a, t = m["agreement"], m["timing"]
        worst = a[a["worst_section"]]["max_abs"] if a.get("worst_section") else 0.0
        pay = t["payback"]["steps"]
        rows.append([
            f'<a href="#{_e(m["name"])}">{_e(m["name"])}</a>', _yes(a["agrees"]),
            f"{_num(worst, '.1e')} (tol {_num(a['tolerance'], '.0e')})",
            duration(t["static"]["trace_ms"] + t["static"]["compile_ms"]),
            duration(t["eager"]["steady"]["median_ms"]),
            duration(t["static"]["steady"]["median_ms"]),
            ("-" if t["payback"]["reason"].startswith("not available") else "never")
            if pay is None else str(pay),
            f"{size(m['memory']['eager']['peak_bytes'])} / "
            f"{size(m['memory']['static']['peak_bytes'])}"])
    return _table(["model", "agree", "max abs err", "trace + compile", "eager step",
                   "static step", "payback steps", "peak memory eager / static"], rows)


def _agreement(a: dict) -> str:
    rows = [[_e(k), _num(a[k]["max_abs"], ".2e"), _num(a[k]["max_rel"], ".2e"),
             _num(a[k]["tolerance"], ".0e"), _yes(a[k]["agrees"]),
             _e("; ".join(a[k].get("problems") or []) or (a[k].get("worst") or ""))]
            for k in ("outputs", "loss", "gradients", "parameters")]
    return _table(["quantity", "max abs", "max rel", "tolerance", "agrees", "worst / notes"],
                  rows)


def _timing(m: dict) -> str:
    t = m["timing"]
    rows = []
    for mode in ("eager", "static"):
        s = t[mode]["steady"]
        rows.append([mode, duration(t[mode]["first_step_ms"]), duration(s["median_ms"]),
                     duration(s["iqr_ms"]), f"{duration(s['min_ms'])} - "
                     f"{duration(s['max_ms'])}", str(s["n"]),
                     size(m["memory"][mode]["peak_bytes"]),
                     str(m["memory"][mode]["retained_blocks"])])
    table = _table(["mode", "first step", "steady median", "IQR", "range", "n",
                    "peak memory/step", "retained blocks"], rows)
    traces = _table(["signature", "trace", "compile", "nodes"],
                    [[_e(r["signature"]), duration(r["trace_ms"]),
                      duration(r.get("compile_ms")), str(r["nodes"])]
                     for r in t["static"]["traces"]])
    passes = m.get("graph", {}).get("passes") or []
    if passes:
        table += "<p>compiler passes (first trace):</p>" + _table(
            ["pass", "nodes before", "nodes after", "rewrites", "time"],
            [[_e(r["pass"]), str(r["nodes_before"]), str(r["nodes_after"]),
              _e(", ".join(f"{k} x{v}" for k, v in sorted(r["rewrites"].items()))),
              duration(r.get("ms"))] for r in passes])
    return (f"{table}<p>static executor: <b>{_e(t['static']['executor'])}</b>; shape policy: "
            f"{_e(m.get('shape_policy', ''))}; payback: {_e(t['payback']['reason'])}</p>"
            f"<p>traces:</p>{traces}")


def _diagrams(m: dict) -> str:
    d = m.get("diagrams") or {}
    if not d:
        return ""
    parts = []
    pairs = [("tape", "eager tape (one forward + loss)"), ("forward", "static forward graph")]
    row = "".join(_figure(d, k, label) for k, label in pairs if k in d or f"{k}_overview" in d)
    parts.append(f'<div class="row">{row}</div>')
    s = m.get("structure")
    if s:
        diff = _op_counts(s, "{op}: eager {eager} / static {static}")
        parts.append(f"<p>networkx check ({_e(s['compared'])}): same graph: "
                     f"{_yes(s['same_graph'])} ({s['eager_nodes']} vs {s['static_nodes']} op "
                     f"nodes; {_e(s['note'])}){'; differences: ' + _e(diff) if diff else ''}"
                     "</p>")
        after = s.get("after_optimization")
        if after:
            changed = _op_counts(after, "{op}: {eager} -> {static}")
            parts.append(f"<p>after the compiler's passes ({after['static_nodes']} op nodes), "
                         f"where the graphs differ (op counts, tape -> optimized): "
                         f"{_e(changed) or 'nowhere'}</p>")
            fused = after.get("fused") or []
            if fused:
                parts.append(_table(["fused node", "op", "replaces", "user lines"], [
                    [_e("%" + f["node"]), _e(f["op"]), _e(" ".join(f["replaces"])),
                     _e(", ".join(f["lines"]))] for f in fused]))
    for k, label in (("train", "static training graph (forward, gradient, update)"),
                     ("optimized", "static graph after optimization")):
        if k in d or f"{k}_overview" in d:
            parts.append(_figure(d, k, label))
    return "<h3>diagrams</h3>" + "".join(parts)


def _op_counts(section: dict, template: str) -> str:
    """A structure section's op-count differences, each written by ``template`` (keys ``op``,
    ``eager``, ``static``), joined by commas."""
    return ", ".join(template.format(op=op, **counts)
                     for op, counts in section["op_count_differences"].items())


def _figure(d: dict, kind: str, label: str) -> str:
    """A diagram fitted to the page: the module overview (each module one box) when there
    is one, the full diagram behind "expand" and a new-tab link (the browser zooms an SVG)."""
    full, overview = d.get(kind), d.get(f"{kind}_overview")
    shown = overview or full
    head = f'<p>{_e(label)}{" (modules collapsed)" if overview else ""}: ' + " · ".join(
        f'<a href="{_e(f)}" target="_blank">{what} in a new tab</a>'
        for f, what in ((overview, "overview"), (full, "full diagram")) if f) + "</p>"
    body = f'<a href="{_e(shown)}" target="_blank">{_img(shown, label)}</a>'
    if overview and full:
        body += (f"<details><summary>expand: every node, modules framed</summary>"
                 f'<img src="{_e(full)}" alt="{_e(label)}" loading="lazy"></details>')
    elif overview:
        body += "<p>full diagram: over the report's node budget (--diagram-nodes)</p>"
    return f'<div class="diagram">{head}{body}</div>'


def _model(m: dict, out: Path) -> str:
    head = f'<h2 id="{_e(m["name"])}">{_e(m["name"])}: {_e(m["description"])}</h2>'
    if "error" in m:
        err, replay = m["error"], m["error"].get("replay")
        where = f' in {_e(err["mode"])} mode at step {err["step"]}' if "mode" in err else ""
        text = (f'{head}<p class="bad">error{where}: {_e(err["type"])}</p>'
                f'<pre>{_e(err.get("traceback", err["message"]))}</pre>')
        if replay:
            text += (f"<p>eager replay of the same inputs: {_e(replay['exception'] or 'no error')}"
                     f" at {_e(replay.get('user_line') or '?')}</p>"
                     f"<pre>{_e(replay['message'])}</pre>")
        return text
    figs = [plots.loss_curves(m, out), plots.payback(m, out), plots.op_profile(m, out)]
    imgs = "".join(f'<div>{_img(f, f)}</div>' for f in figs if f)
    extra = ""
    for key, title in (("diff", "node-by-node diff"), ("attribution", "pass attribution")):
        if key in m:
            extra += f"<h3>{title}</h3><pre>{_e(m[key].get('text', m[key]))}</pre>"
    runs = (m.get("attribution") or {}).get("runs")
    if runs:
        extra += _table(["passes", "note", "agrees", "max abs"],
                        [[_e(", ".join(r["passes"]) or "(none)"), _e(r.get("note", "")),
                          _yes(r["agrees"]), _num(r["max_abs"], ".2e")] for r in runs])
    return (f"{head}<p>{m.get('parameter_count', '?')} parameters, lr {m.get('lr')}, "
            f"{m['steps']} steps, {_e(m['dtype'])}</p>"
            f"<h3>agreement</h3>{_agreement(m['agreement'])}"
            f"<h3>speed and memory</h3>{_timing(m)}<div class=\"row\">{imgs}</div>"
            f"{extra}{_diagrams(m)}{_notes(m.get('not_available', {}))}")


def _faults(faults: list[dict]) -> str:
    rows = []
    for f in faults:
        for mode, r in f["modes"].items():
            replay = r.get("replay")
            rep = ""
            if replay:
                rep = (f"<br><i>eager replay</i>: {_e(replay.get('exception') or 'no error')}"
                       f" at {_e(replay.get('user_frame') or '?')}"
                       f"<pre>{_e(replay['message'])}</pre>")
            rows.append([f"<b>{_e(f['name'])}</b><br>{_e(f['title'])}", _e(mode),
                         _e(r["surfaced"]), _e(r["exception"] or "-"), _yes(r["names_op"]),
                         _yes(r["names_shapes"]), _yes(r["names_user_line"]),
                         f"<pre>{_e(r['message'])}</pre>{rep}"])
    return "<h2 id=\"faults\">fault catalogue</h2>" + _table(
        ["fault", "mode", "surfaced", "exception", "names op", "names shapes",
         "names user line", "message"], rows)


def write_html(doc: dict, out: Path, **_: Any) -> Path:
    """Write ``report.html`` (and its plots) into ``out``; returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    models = doc["models"]
    good = [m for m in models if "error" not in m]
    links = [f'<a href="#{_e(m["name"])}">{_e(m["name"])}</a>' for m in models]
    if doc.get("faults"):
        links.append('<a href="#faults">fault catalogue</a>')
    body = [f"<h1>dualgraph compare</h1><p>{_e(doc['created'])}</p>"
            f"<p>{' · '.join(links)}</p>", settings_section(doc),
            baseline_section(doc.get("baseline")),
            _notes(doc.get("not_available", {})), _INTRO, _summary(models),
            onnx_html(models)]
    if good:
        body.append(_img(plots.step_times(good, out), "step times"))
    body.extend(_model(m, out) for m in models)
    if doc.get("faults"):
        body.append(_faults(doc["faults"]))
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>dualgraph compare"
            f"</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>")
    path = out / "report.html"
    path.write_text(page)
    return path
