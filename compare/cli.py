"""The ``dualgraph`` command: ``compare``, ``summary``, ``render``, ``bench``, ``faults``, ``list``.

    dualgraph compare                      # the whole zoo, report in ./dualgraph-report/
    dualgraph compare mlp_digits --steps 3 --out /tmp/x --json /tmp/x/r.json
    dualgraph faults                       # the debuggability catalogue alone
    dualgraph render mlp_digits --optimized --out /tmp/g
    dualgraph summary mlp_digits           # torchinfo-like layer table
    dualgraph --import mymodels:tiny compare tiny
    dualgraph list

Each subcommand lives in its own module ``compare/cli_<name>.py`` with ``add_parser(subparsers)``
and ``run(args) -> int``; `SUBCOMMANDS` lists them in ``--help`` order. Bad arguments exit with
status 2 and one line on stderr; ``--help`` works everywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import (
    cli_bench,
    cli_compare,
    cli_export,
    cli_faults,
    cli_list,
    cli_render,
    cli_summary,
)
from .cli_common import Parser, UsageError
from .cli_compare import DEFAULT_OUT
from .cli_imports import import_user_module

__all__ = ["DEFAULT_OUT", "SUBCOMMANDS", "UsageError", "build_parser", "main", "version"]

SUBCOMMANDS = (cli_compare, cli_summary, cli_export, cli_faults, cli_render, cli_bench,
               cli_list)


def version() -> str:
    """The installed distribution's version (``unknown`` when run from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("dualgraph")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    """The argument parser and ``{command: run}`` (exposed for tests and ``--help`` text)."""
    p = Parser(prog="dualgraph", description="Run models eagerly and as static graphs, "
               "side by side: agreement, speed, memory, debuggability.")
    p.add_argument("--version", action="version", version=f"dualgraph {version()}")
    p.add_argument("--import", dest="imports", action="append", default=[],
                   metavar="MODULE[:ATTR]",
                   help="import MODULE first (found in the current folder too); it may "
                        "@register_model its models, or name a factory ATTR to register")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    runners = {}
    for module in SUBCOMMANDS:
        before = set(sub.choices)
        module.add_parser(sub)
        # A module registers its command(s) by name; whatever it added runs its `run`.
        runners.update(dict.fromkeys(set(sub.choices) - before, module.run))
    return p, runners


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dualgraph`` console script; returns the exit status."""
    parser, runners = build_parser()
    try:
        args = parser.parse_args(argv)
        for spec in args.imports:
            import_user_module(spec)
        if args.command is None:
            parser.print_help()
            return 2
        return runners[args.command](args)
    except UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dualgraph summary m | head`: the reader left, not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 -- Python's own flush at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
