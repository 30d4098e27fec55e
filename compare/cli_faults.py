"""``dualgraph faults``: the debuggability catalogue alone, in both modes."""

from __future__ import annotations

import argparse
import json

from .cli_common import UsageError, output_file


def add_parser(subparsers) -> None:
    """Register ``faults``."""
    f = subparsers.add_parser("faults", help="run the fault catalogue in both modes")
    f.add_argument("names", nargs="*", metavar="FAULT", help="faults to run (default: all)")
    f.add_argument("--json", dest="json_path", metavar="FILE", help="also write results as JSON")


def run(args: argparse.Namespace) -> int:
    """Run the named (or all) faults and print the table."""
    from .faults import CATALOGUE, run_catalogue
    from .report import terminal

    unknown = [n for n in args.names if n not in CATALOGUE]
    if unknown:
        raise UsageError(f"dualgraph: unknown fault {unknown[0]!r} "
                         f"(known: {', '.join(CATALOGUE)})")
    json_path = output_file(args.json_path, "--json") if args.json_path else None
    results = run_catalogue(args.names or None)
    terminal.print_summary([], results)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=1))
    return 0
