"""What every ``dualgraph`` subcommand module shares: the one-line usage error and arg types.

A subcommand lives in its own ``compare/cli_<name>.py`` exposing ``add_parser(subparsers)``
and ``run(args) -> int``; ``compare/cli.py`` lists the modules. They import from here, never
from ``compare.cli`` (that would be an import cycle).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path


class UsageError(Exception):
    """A bad command line: printed as one line on stderr, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line (a ``UsageError``), not a usage block."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message} (see --help)")


def int_at_least(minimum: int, what: str):
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


positive = int_at_least(1, "a positive integer")
non_negative = int_at_least(0, "an integer >= 0")


def check_models(names: Sequence[str]) -> list[str]:
    """The named zoo models (all when none are named); an unknown name is a ``UsageError``."""
    from .zoo import model_names

    known = model_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"dualgraph: unknown model {unknown[0]!r} (known: {', '.join(known)})")
    return list(names) or known


def check_output_dir(text: str, option: str = "--out") -> Path:
    """``text`` as a folder path that can be made: no file in the way, a writable ancestor.
    Nothing is created (a usage error found later must not leave an empty folder behind)."""
    path = Path(text)
    parent = next((p for p in (path, *path.parents) if p.exists()), Path("."))
    if not parent.is_dir():
        raise UsageError(f"dualgraph: {option} {text}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"dualgraph: {option} {text}: {parent} is not writable")
    return path


def output_dir(text: str, option: str = "--out") -> Path:
    """``text`` as a folder we can write into, created if missing; else a ``UsageError``.

    Checked before any work starts, so a typo costs one line, not a run and a traceback.
    """
    path = check_output_dir(text, option)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"dualgraph: {option} {text}: cannot create the folder "
                         f"({e.strerror or e})") from None
    return path


def output_file(text: str, option: str) -> Path:
    """``text`` as a file path whose folder can be made (the writer creates it)."""
    path = Path(text)
    if path.is_dir():
        raise UsageError(f"dualgraph: {option} {text}: is a folder, expected a file path")
    check_output_dir(str(path.parent), option)
    return path
