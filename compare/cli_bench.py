"""``dualgraph bench``: the benchmark scripts, one process each."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import UsageError, output_dir, positive


def add_parser(subparsers) -> None:
    """Register ``bench``."""
    b = subparsers.add_parser("bench", help="run the benchmark scripts in benchmarks/")
    b.add_argument("scripts", nargs="*", metavar="SCRIPT", help="scripts to run (default: all)")
    b.add_argument("--full", action="store_true", help="run without --quick")
    b.add_argument("--timeout", type=positive, default=300, help="seconds per script (300)")
    b.add_argument("--out", default="dualgraph-bench", help="folder (default dualgraph-bench)")
    b.add_argument("--root", default=".", help="project root holding benchmarks/ (default .)")


def run(args: argparse.Namespace) -> int:
    """Run the scripts; 0 only when every one ran and exited 0."""
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
    out = output_dir(args.out)
    results = run_bench(root, out, quick=not args.full, timeout=args.timeout,
                        only=args.scripts or None,
                        on_script=lambda n: print(f"running {n} ...", flush=True))
    for r in results:
        print(f"\n== {r['script']} (status {r['status']}, {r['seconds']:.1f} s)")
        print(r["output"].rstrip())
    print(f"\nresults: {out / 'bench.json'}, {out / 'bench.txt'}")
    return 0 if all(r["status"] == 0 for r in results) else 1
