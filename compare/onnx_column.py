"""The onnxruntime column of `dualgraph compare`, and zoo models as ONNX exports.

With the ``onnx`` extra installed, each model is exported (`static.onnx`) and run by
onnxruntime beside the static graph (compiled) and the eager Module, in inference and float32
whatever the training dtype: the agreement of onnxruntime with each mode on the first batch
(and with static on random inputs at two batch sizes), and the median time of one forward
pass per engine. Without the extra the column says so, in one line, instead of vanishing.

    >>> onnx_missing() is None or "pip install" in onnx_missing()
    True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

TOLERANCE = 1e-5  # float32, as the export tests hold every zoo model to
BATCH_SIZES = (2, 5)


def onnx_missing() -> str | None:
    """None when onnx and onnxruntime import, else why the column is not available."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as e:
        return (f"the onnx extra is not installed ({e.name} is missing; pip install "
                "'dualgraph[onnx]'): no ONNX export, no onnxruntime column")
    return None


def input_specs(case: Any) -> list:
    """One `TensorSpec` per input of the case's first batch: axis 0 (the batch) and the
    case's dynamic dims unknown, so one export serves every batch size."""
    from static import TensorSpec

    inputs, _ = case.batches[0]
    dyn = {0, *case.dynamic_dims}
    return [TensorSpec(tuple(None if i in dyn else d for i, d in enumerate(a.shape)), a.dtype)
            for a in inputs]


def zoo_case(name: str, dtype: str = "float32", seed: int = 0) -> Any:
    """The zoo model ``name`` as a fresh `ModelCase` (seeded, in eval mode)."""
    import eager

    from .zoo import get_model

    eager.manual_seed(seed)
    case = get_model(name).factory(np.dtype(dtype))
    case.model.eval()
    return case


def export_zoo_model(name: str, *, dtype: str = "float32", seed: int = 0,
                     opset: int | None = None) -> tuple[Any, Any]:
    """(case, `static.onnx.OnnxExport`) of zoo model ``name``, checked with
    ``onnx.checker.check_model(full_check=True)``."""
    from static.onnx import DEFAULT_OPSET, to_onnx

    case = zoo_case(name, dtype, seed)
    return case, to_onnx(case.model, input_specs(case), opset=opset or DEFAULT_OPSET)


def measure(name: str, *, seed: int = 0, repeats: int = 20) -> dict:
    """The column's figures for one model (a dict for the JSON report): ``available`` and
    either the figures or the ``reason`` they are missing."""
    reason = onnx_missing()
    if reason is not None:
        return {"available": False, "reason": reason}
    try:
        return _measure(name, seed, repeats)
    except Exception as e:  # one model's export error must not hide the comparison
        first = str(e).splitlines()[0] if str(e) else ""
        return {"available": False, "reason": f"{type(e).__name__}: {first}"}


def _measure(name: str, seed: int, repeats: int) -> dict:
    import eager
    import static
    from static.onnx import check_agreement, to_onnx
    from static.onnx.verify import ort_session, run_ort

    case = zoo_case(name, "float32", seed)
    t0 = time.perf_counter()
    exported = to_onnx(case.model, input_specs(case))
    export_ms = (time.perf_counter() - t0) * 1e3
    random = check_agreement(exported, BATCH_SIZES, seed=seed)
    inputs = [np.asarray(a, np.float32) if a.dtype.kind == "f" else a
              for a in case.batches[0][0]]
    session = ort_session(exported.model)
    compiled = static.compile(exported.graph, list(exported.outputs), list(exported.inputs))
    feeds = dict(zip(exported.inputs, inputs, strict=True))

    def run_eager():
        with eager.no_grad():
            out = case.model(*[eager.tensor(a) for a in inputs])
        return [np.asarray(o) for o in (out if isinstance(out, tuple | list) else [out])]

    engines: dict[str, Callable[[], Sequence[np.ndarray]]] = {
        "onnxruntime": lambda: run_ort(session, inputs),
        "static": lambda: compiled.run(feeds),
        "eager": run_eager}
    outs = {k: [np.asarray(v) for v in run()] for k, run in engines.items()}
    vs = {mode: max(_diff(a, b) for a, b in zip(outs["onnxruntime"], outs[mode], strict=True))
          for mode in ("static", "eager")}
    worst = max(vs["static"], vs["eager"], random.worst)
    return {"available": True, "dtype": "float32", "opset": exported.model.opset_import[0].version,
            "onnx_nodes": len(exported.model.graph.node), "export_ms": export_ms,
            "agreement": {"vs_static": vs["static"], "vs_eager": vs["eager"],
                          "random_vs_static": {str(b): d for b, d in
                                               random.max_abs_diff.items()},
                          "tolerance": TOLERANCE, "agrees": worst <= TOLERANCE},
            "inference_ms": {k: _median_ms(run, repeats) for k, run in engines.items()}}


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))


def _median_ms(run: Callable[[], Any], repeats: int) -> float:
    run()  # warm: first calls build plans and caches
    times = []
    for _ in range(max(repeats, 1)):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e3


# -- report -------------------------------------------------------------------------------------
def table_rows(models: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Headers and one row per model for the terminal and HTML reports."""
    from .report.units import duration

    headers = ["model", "ORT agrees", "vs static", "vs eager", "ORT forward",
               "static forward", "eager forward"]
    rows = []
    for m in models:
        col = m.get("onnx")
        if col is None:
            continue
        if not col["available"]:
            rows.append([m["name"], "n/a", col["reason"], "", "", "", ""])
            continue
        a, t = col["agreement"], col["inference_ms"]
        rows.append([m["name"], "yes" if a["agrees"] else "NO", f"{a['vs_static']:.1e}",
                     f"{a['vs_eager']:.1e}", duration(t["onnxruntime"]), duration(t["static"]),
                     duration(t["eager"])])
    return headers, rows


def terminal_table(models: list[dict]) -> Any:
    """The onnxruntime table for the terminal (None when no model has the column)."""
    from rich.table import Table

    headers, rows = table_rows(models)
    if not rows:
        return None
    table = Table(title="onnxruntime: the ONNX export run beside static and eager (inference, "
                  f"float32, tolerance {TOLERANCE:.0e}; forward: median time of one pass, "
                  "onnxruntime on one thread)",
                  title_justify="left")
    for h in headers:
        table.add_column(h, justify="left" if h == "model" else "right",
                         overflow="fold")
    for r in rows:
        table.add_row(*r)
    return table


def html_section(models: list[dict]) -> str:
    """The onnxruntime section of the HTML report ("" when no model has the column)."""
    import html

    headers, rows = table_rows(models)
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return (f"<h2 id=\"onnxruntime\">onnxruntime</h2><p>Each model exported to ONNX (opset "
            f"of static.onnx, inference, float32) and run by onnxruntime on the first batch: "
            f"the largest difference from the static and eager outputs (tolerance "
            f"{TOLERANCE:.0e}; random inputs at batch sizes {BATCH_SIZES} are checked too) "
            f"and the median time of one forward pass in each engine (onnxruntime on one "
            f"thread).</p>"
            f"<table><tr>{head}</tr>{body}</table>")
