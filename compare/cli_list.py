"""``dualgraph list``: the zoo's models and the fault catalogue's faults."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    """Register ``list``."""
    subparsers.add_parser("list", help="list zoo models and faults")


def run(args: argparse.Namespace) -> int:
    """Print one line per model and per fault."""
    from .faults import CATALOGUE
    from .zoo import get_model, model_names

    print("models:")
    for entry in map(get_model, model_names()):
        print(f"  {entry.name:<14} {entry.description}")
    print("faults:")
    for fault in CATALOGUE.values():
        print(f"  {fault.name:<18} {fault.title}")
    return 0
