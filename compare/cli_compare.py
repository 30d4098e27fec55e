"""``dualgraph compare``: run zoo models in both modes, print the summary, write the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import (
    UsageError,
    check_models,
    check_output_dir,
    non_negative,
    output_dir,
    output_file,
    positive,
)

DEFAULT_OUT = "dualgraph-report"
MAX_NODES = 400  # as compare.diagrams.MAX_NODES (not imported: --help must stay light)


def add_parser(subparsers) -> None:
    """Register ``compare``."""
    c = subparsers.add_parser("compare",
                              help="run zoo models in both modes and write the report")
    c.add_argument("models", nargs="*", metavar="MODEL", help="models to run (default: all)")
    c.add_argument("--steps", type=positive, default=5, help="training steps (default 5)")
    c.add_argument("--out", default=DEFAULT_OUT, help=f"report folder (default {DEFAULT_OUT})")
    c.add_argument("--json", dest="json_path", metavar="FILE",
                   help="JSON report path (default OUT/report.json)")
    c.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="training dtype (default float64, tolerance 1e-6; float32: 1e-4)")
    c.add_argument("--seed", type=int, default=0, help="eager seed for both twins (default 0)")
    c.add_argument("--repeats", type=non_negative, default=5,
                   help="extra timed steps per mode for the steady-state figures (default 5)")
    c.add_argument("--executor", choices=("compiled", "interpret"), default="compiled",
                   help="static executor: compiled code (default) or the node interpreter on the "
                   "traced graph (no passes)")
    c.add_argument("--disable-pass", dest="disabled", action="append", default=[],
                   metavar="PASS", help="switch a compiler pass off (repeatable)")
    c.add_argument("--no-faults", action="store_true", help="skip the fault catalogue")
    c.add_argument("--no-html", action="store_true", help="skip the HTML report and diagrams")
    c.add_argument("--baseline", metavar="REPORT_JSON",
                   help="an earlier report.json: say what got faster, slower or changed "
                        "agreement since")
    c.add_argument("--diagram-nodes", type=positive, default=MAX_NODES, metavar="N",
                   help=f"draw full graphs of at most N nodes in the report (default "
                        f"{MAX_NODES}; module overviews are always drawn; a 300-node graph "
                        f"takes graphviz 3-4 s)")


def run(args: argparse.Namespace) -> int:
    """Run, print the summary, write JSON (and HTML); 1 when a model disagrees or fails."""
    out = check_output_dir(args.out)  # a bad --out fails first, before any import or run
    json_path = output_file(args.json_path, "--json") if args.json_path else out / "report.json"
    from .compiler_adapter import pass_names
    from .report import json_report, terminal
    from .suite import run_compare

    names = check_models(args.models)
    unknown = [p for p in args.disabled if p not in pass_names()]
    if unknown:
        raise UsageError(f"dualgraph: unknown pass {unknown[0]!r} "
                         f"(pipeline: {', '.join(pass_names()) or 'no compiler'})")
    baseline = None
    if args.baseline:
        from .report.baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(Path(args.baseline))
        except BaselineError as e:
            raise UsageError(f"dualgraph: {e}") from None
    output_dir(args.out)
    console = terminal.wide_console()
    doc = run_compare(names, steps=args.steps, dtype=args.dtype, seed=args.seed,
                      repeats=args.repeats, faults=not args.no_faults, html=not args.no_html,
                      out=out, console=console, executor=args.executor,
                      disabled_passes=args.disabled, diagram_nodes=args.diagram_nodes,
                      baseline=baseline)
    json_report.write_report(doc, json_path)
    terminal.print_summary(doc["models"], doc.get("faults"), console, doc["not_available"])
    if "baseline" in doc:
        from .report.baseline import text_lines

        for line in text_lines(doc["baseline"]):
            console.print(line, markup=False, highlight=False)
    console.print(f"JSON report: {json_path}")
    if not args.no_html:
        console.print(f"HTML report: {Path(out) / 'report.html'} (open it in a browser)")
    failed = [m["name"] for m in doc["models"] if "error" in m or not m["agreement"]["agrees"]]
    if failed:
        console.print(f"[red]disagreement or error in: {', '.join(failed)}[/red]")
        return 1
    return 0
