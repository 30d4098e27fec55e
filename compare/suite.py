"""One `dualgraph compare` run: models (with a progress bar), faults, diagrams, HTML, JSON doc.

`run_compare` returns the JSON document (see ``report/schema.json``); the CLI writes it and
prints the terminal summary. Each part that cannot run (a missing optional piece of the
framework) is recorded under ``not_available`` with the reason instead of being skipped
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .onnx_column import measure as measure_onnx
from .onnx_column import onnx_missing
from .report import json_report
from .report.baseline import compare_reports
from .report.environment import environment
from .runner import run_model


def run_compare(names: Sequence[str], *, steps: int = 5, dtype: str = "float64", seed: int = 0,
                repeats: int = 5, faults: bool = True, html: bool = True,
                out: str | Path = "dualgraph-report", console: Console | None = None,
                executor: str = "compiled", disabled_passes: Sequence[str] = (),
                diagram_nodes: int | None = 400, baseline: dict | None = None) -> dict:
    """Run ``names`` through both modes (and the fault catalogue); write diagrams and HTML.
    ``baseline``: an earlier report (as loaded), compared against under ``"baseline"``."""
    console = console or Console()
    out = Path(out)
    models: list[dict] = []
    notes: dict[str, str] = {}
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.completed}"
               "/{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("models", total=len(names))
        for name in names:
            bar.update(task, description=f"{name}")
            models.append(run_model(name, steps=steps, dtype=dtype, seed=seed, repeats=repeats,
                                    executor=executor, disabled_passes=tuple(disabled_passes),
                                    on_step=lambda text, n=name: bar.update(
                                        task, description=f"{n}: {text}")))
            if onnx_missing() is None:  # the onnxruntime column (onnx extra installed)
                bar.update(task, description=f"{name}: onnxruntime")
                models[-1]["onnx"] = measure_onnx(name, seed=seed)
            bar.advance(task)
        fault_rows = None
        if faults:
            from .faults import CATALOGUE, run_fault

            ftask = bar.add_task("faults", total=len(CATALOGUE))
            fault_rows = []
            for fault in CATALOGUE.values():
                bar.update(ftask, description=f"fault {fault.name}")
                fault_rows.append(run_fault(fault))
                bar.advance(ftask)
    if onnx_missing() is not None:
        notes["onnxruntime"] = onnx_missing()
    settings = {"steps": steps, "dtype": dtype, "seed": seed, "repeats": repeats,
                "executor": executor, "disabled_passes": list(disabled_passes)}
    doc = json_report.build_report(models, settings=settings, faults=fault_rows,
                                   not_available=notes)
    doc["environment"] = environment()
    if baseline is not None:
        doc["baseline"] = compare_reports(doc, baseline)
    if html:
        from .report.html import write_html

        out.mkdir(parents=True, exist_ok=True)
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("diagrams", total=len(models))
            for m in models:
                bar.update(task, description=f"diagrams {m['name']}")
                if "error" not in m:
                    _add_diagrams(m, out, dtype, seed, diagram_nodes,
                                  lambda text: bar.update(task, description=text))
                bar.advance(task)
        write_html(doc, out)
    return doc


def _add_diagrams(model: dict, out: Path, dtype: str, seed: int, max_nodes: int | None,
                  on_stage=None) -> None:
    from .diagrams import model_diagrams

    try:
        d = model_diagrams(model["name"], out, dtype=dtype, seed=seed, max_nodes=max_nodes,
                           on_stage=on_stage)
    except Exception as e:  # diagrams are optional: say why they are missing
        model["not_available"]["diagrams"] = f"{type(e).__name__}: {e}"
        return
    model["diagrams"], model["structure"] = d["diagrams"], d["structure"]
    model["not_available"].update(d["not_available"])
