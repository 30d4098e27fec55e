"""The ``dualgraph`` command: ``compare``, ``render``, ``bench``, ``faults``, ``list``.

    dualgraph compare                      # the whole zoo, report in ./dualgraph-report/
    dualgraph compare mlp_digits --steps 3 --out /tmp/x --json /tmp/x/r.json
    dualgraph faults                       # the debuggability catalogue alone
    dualgraph render mlp_digits --optimized --out /tmp/g
    dualgraph list

Bad arguments exit with status 2 and one line on stderr; ``--help`` works everywhere.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_OUT = "dualgraph-report"


class UsageError(Exception):
    """A bad command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _int_at_least(minimum: int, what: str):
    """An argparse ``type`` accepting integers >= ``minimum``, refusing others in one line."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {what}, got {value}")
        return value

    return parse


_positive = _int_at_least(1, "a positive integer")
_non_negative = _int_at_least(0, "an integer >= 0")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help`` text)."""
    p = _Parser(prog="dualgraph", description="Run models eagerly and as static graphs, "
                "side by side: agreement, speed, memory, debuggability.")
    p.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                   help="import MODULE first (it may @register_model its own models)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("compare", help="run zoo models in both modes and write the report")
    c.add_argument("models", nargs="*", metavar="MODEL", help="models to run (default: all)")
    c.add_argument("--steps", type=_positive, default=5, help="training steps (default 5)")
    c.add_argument("--out", default=DEFAULT_OUT, help=f"report folder (default {DEFAULT_OUT})")
    c.add_argument("--json", dest="json_path", metavar="FILE",
                   help="JSON report path (default OUT/report.json)")
    c.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="training dtype (default float64, tolerance 1e-6; float32: 1e-4)")
    c.add_argument("--seed", type=int, default=0, help="eager seed for both twins (default 0)")
    c.add_argument("--repeats", type=_non_negative, default=5,
                   help="extra timed steps per mode for the steady-state figures (default 5)")
    c.add_argument("--executor", choices=("compiled", "interpret"), default="compiled",
                   help="static executor: compiled code (default) or the node interpreter on the "
                   "traced graph (no passes)")
    c.add_argument("--disable-pass", dest="disabled", action="append", default=[],
                   metavar="PASS", help="switch a compiler pass off (repeatable)")
    c.add_argument("--no-faults", action="store_true", help="skip the fault catalogue")
    c.add_argument("--no-html", action="store_true", help="skip the HTML report and diagrams")
    c.add_argument("--diagram-nodes", type=_positive, default=150, metavar="N",
                   help="draw graphs of at most N nodes in the report (default 150; a "
                        "300-node graph takes graphviz 10-20 s)")

    f = sub.add_parser("faults", help="run the fault catalogue in both modes")
    f.add_argument("names", nargs="*", metavar="FAULT", help="faults to run (default: all)")
    f.add_argument("--json", dest="json_path", metavar="FILE", help="also write results as JSON")

    r = sub.add_parser("render", help="draw a model's graphs (static and eager tape)")
    r.add_argument("model", metavar="MODEL", help="a zoo model")
    r.add_argument("--optimized", action="store_true",
                   help="also draw the graph after the compiler's passes")
    r.add_argument("--passes", action="store_true",
                   help="draw the graph after every compiler pass (OUT/MODEL_passes/)")
    r.add_argument("--out", default="dualgraph-render", help="folder (default dualgraph-render)")

    b = sub.add_parser("bench", help="run the benchmark scripts in benchmarks/")
    b.add_argument("scripts", nargs="*", metavar="SCRIPT", help="scripts to run (default: all)")
    b.add_argument("--full", action="store_true", help="run without --quick")
    b.add_argument("--timeout", type=_positive, default=300, help="seconds per script (300)")
    b.add_argument("--out", default="dualgraph-bench", help="folder (default dualgraph-bench)")
    b.add_argument("--root", default=".", help="project root holding benchmarks/ (default .)")

    sub.add_parser("list", help="list zoo models and faults")
    return p


def _check_models(names: Sequence[str]) -> list[str]:
    from .zoo import model_names

    known = model_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"dualgraph: unknown model {unknown[0]!r} (known: {', '.join(known)})")
    return list(names) or known


def cmd_list(args) -> int:
    """`dualgraph list`: the zoo's models and the catalogue's faults."""
    from .faults import CATALOGUE
    from .zoo import get_model, model_names

    print("models:")
    for entry in map(get_model, model_names()):
        print(f"  {entry.name:<14} {entry.description}")
    print("faults:")
    for fault in CATALOGUE.values():
        print(f"  {fault.name:<18} {fault.title}")
    return 0


def cmd_compare(args) -> int:
    """`dualgraph compare`: run, print the summary, write JSON (and HTML)."""

    from .report import json_report, terminal
    from .suite import run_compare

    names = _check_models(args.models)
    from .compiler_adapter import pass_names

    unknown = [p for p in args.disabled if p not in pass_names()]
    if unknown:
        raise UsageError(f"dualgraph: unknown pass {unknown[0]!r} "
                         f"(pipeline: {', '.join(pass_names()) or 'no compiler'})")
    out = Path(args.out)
    json_path = Path(args.json_path) if args.json_path else out / "report.json"
    console = terminal.wide_console()
    doc = run_compare(names, steps=args.steps, dtype=args.dtype, seed=args.seed,
                      repeats=args.repeats, faults=not args.no_faults, html=not args.no_html,
                      out=out, console=console, executor=args.executor,
                      disabled_passes=args.disabled, diagram_nodes=args.diagram_nodes)
    json_report.write_report(doc, json_path)
    terminal.print_summary(doc["models"], doc.get("faults"), console, doc["not_available"])
    console.print(f"JSON report: {json_path}")
    if not args.no_html:
        console.print(f"HTML report: {out / 'report.html'} (open it in a browser)")
    failed = [m["name"] for m in doc["models"] if "error" in m or not m["agreement"]["agrees"]]
    if failed:
        console.print(f"[red]disagreement or error in: {', '.join(failed)}[/red]")
        return 1
    return 0


def cmd_faults(args) -> int:
    """`dualgraph faults`: the fault catalogue alone."""
    import json

    from .faults import CATALOGUE, run_catalogue
    from .report import terminal

    unknown = [n for n in args.names if n not in CATALOGUE]
    if unknown:
        raise UsageError(f"dualgraph: unknown fault {unknown[0]!r} "
                         f"(known: {', '.join(CATALOGUE)})")
    results = run_catalogue(args.names or None)
    terminal.print_summary([], results)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1))
    return 0


def cmd_render(args) -> int:
    """`dualgraph render`: a model's diagrams, and the tape-vs-graph check."""
    from .diagrams import model_diagrams

    (name,) = _check_models([args.model])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    d = model_diagrams(name, out, max_nodes=None, optimized=args.optimized,
                       passes_dir=out / f"{name}_passes" if args.passes else None)
    for kind, file in d["diagrams"].items():
        print(f"{kind:<15} {out / file if kind != 'passes_summary' else file}")
    s = d["structure"]
    print(f"tape vs static graph: {'same graph' if s['same_graph'] else 'different'} "
          f"({s['eager_nodes']} vs {s['static_nodes']} op nodes; {s['note']})")
    for op, c in s["op_count_differences"].items():
        print(f"  {op}: eager {c['eager']}, static {c['static']}")
    after = s.get("after_optimization")
    if after:
        print(f"tape vs optimized graph: {after['static_nodes']} op nodes; differs in:")
        for op, c in after["op_count_differences"].items():
            print(f"  {op}: eager {c['eager']}, optimized {c['static']}")
        for f in after.get("fused", []):
            print(f"  %{f['node']} = {f['op']} replaces {' '.join(f['replaces'])} "
                  f"({', '.join(f['lines'])})")
    for key, reason in d["not_available"].items():
        print(f"not available {key}: {reason}")
    return 0


def cmd_bench(args) -> int:
    """`dualgraph bench`: the benchmark scripts, one process each."""
    from .bench import find_scripts, run_bench

    root = Path(args.root)
    scripts = find_scripts(root)
    if not scripts:
        print(f"not available: no benchmark scripts in {root / 'benchmarks'}")
        return 0
    known = {p.stem for p in scripts} | {p.name for p in scripts}
    unknown = [s for s in args.scripts if s not in known]
    if unknown:
        raise UsageError(f"dualgraph: unknown benchmark {unknown[0]!r} "
                         f"(known: {', '.join(sorted(p.stem for p in scripts))})")
    results = run_bench(root, Path(args.out), quick=not args.full, timeout=args.timeout,
                        only=args.scripts or None,
                        on_script=lambda n: print(f"running {n} ...", flush=True))
    for r in results:
        print(f"\n== {r['script']} (status {r['status']}, {r['seconds']:.1f} s)")
        print(r["output"].rstrip())
    print(f"\nresults: {Path(args.out) / 'bench.json'}, {Path(args.out) / 'bench.txt'}")
    return 0 if all(r["status"] == 0 for r in results) else 1


COMMANDS = {"compare": cmd_compare, "list": cmd_list, "faults": cmd_faults,
            "render": cmd_render, "bench": cmd_bench}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dualgraph`` console script; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        for module in args.imports:
            try:
                importlib.import_module(module)
            except ImportError as e:
                raise UsageError(f"dualgraph: cannot import {module!r}: {e}") from None
        if args.command is None:
            parser.print_help()
            return 2
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
