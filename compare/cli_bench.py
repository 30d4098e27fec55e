"""``dualgraph bench``: the benchmark scripts, one process each, each explained first."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from .cli_common import UsageError, output_dir, positive


def add_parser(subparsers) -> None:
    """Register ``bench``."""
    b = subparsers.add_parser("bench", help="run the benchmark scripts (benchmarks/bench_*.py)")
    b.add_argument("scripts", nargs="*", metavar="SCRIPT", help="scripts to run (default: all)")
    b.add_argument("--list", action="store_true",
                   help="say what each script and workload (W1...) measures; run nothing")
    b.add_argument("--full", action="store_true", help="run without --quick")
    b.add_argument("--timeout", type=positive, default=300, help="seconds per script (300)")
    b.add_argument("--out", default="dualgraph-bench", help="folder (default dualgraph-bench)")
    b.add_argument("--root", default=None,
                   help="project root holding benchmarks/ (default: the installed or checked-out "
                        "benchmarks, else ./benchmarks)")


def explain(info: dict, indent: str = "  ") -> str:
    """A script's summary and its workloads, wrapped for the terminal."""
    lines = textwrap.wrap(info["summary"], 96, initial_indent=indent, subsequent_indent=indent)
    for name, text in info["workloads"].items():
        head = "- " if name.startswith("-") else f"{name}: "
        lines += textwrap.wrap(head + text, 96, initial_indent=indent + "  ",
                               subsequent_indent=indent + "      ")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the scripts; 0 only when at least one ran and every one exited 0."""
    from .bench import describe, find_scripts, run_bench, search_folders

    root = Path(args.root) if args.root else None
    scripts = find_scripts(root)
    if not scripts:
        where = ", ".join(str(p) for p in search_folders(root)) or (
            str(root / "benchmarks") if root else "no benchmarks folder found")
        print(f"dualgraph bench: nothing to run: no bench_*.py scripts ({where}); run it from a "
              f"source checkout or pass --root")
        return 1
    known = {p.stem for p in scripts} | {p.name for p in scripts}
    unknown = [s for s in args.scripts if s not in known]
    if unknown:
        raise UsageError(f"dualgraph: unknown benchmark {unknown[0]!r} "
                         f"(known: {', '.join(sorted(p.stem for p in scripts))})")
    if args.list:
        for p in scripts:
            print(f"{p.stem}\n{explain(describe(p))}")
        return 0
    out = output_dir(args.out)

    def announce(name: str) -> None:
        info = describe(next(p for p in scripts if p.name == name))
        print(f"running {name} ...\n{explain(info)}", flush=True)

    results = run_bench(root, out, quick=not args.full, timeout=args.timeout,
                        only=args.scripts or None, on_script=announce)
    for r in results:
        print(f"\n== {r['script']} (status {r['status']}, {r['seconds']:.1f} s)")
        print(r["output"].rstrip())
    failed = [r["script"] for r in results if r["status"] != 0]
    print(f"\nresults: {out / 'bench.json'}, {out / 'bench.txt'}")
    if failed:
        print(f"failed or timed out: {', '.join(failed)}")
    return 0 if results and not failed else 1
