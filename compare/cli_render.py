"""``dualgraph render``: a model's diagrams (static, tape, optimized, per pass)."""

from __future__ import annotations

import argparse

from .cli_common import check_models, check_output_dir, output_dir


def add_parser(subparsers) -> None:
    """Register ``render``."""
    r = subparsers.add_parser("render", help="draw a model's graphs (static and eager tape)")
    r.add_argument("model", metavar="MODEL", help="a zoo model")
    r.add_argument("--optimized", action="store_true",
                   help="also draw the graph after the compiler's passes")
    r.add_argument("--passes", action="store_true",
                   help="draw the graph after every compiler pass (OUT/MODEL_passes/)")
    r.add_argument("--out", default="dualgraph-render", help="folder (default dualgraph-render)")


def run(args: argparse.Namespace) -> int:
    """Draw the diagrams, then print the tape-vs-graph structure check."""
    from .cli_progress import stage_progress
    from .diagrams import model_diagrams

    check_output_dir(args.out)  # a bad --out fails before the zoo is even imported
    (name,) = check_models([args.model])
    out = output_dir(args.out)
    with stage_progress() as progress:  # the number of drawings is known only on the way
        d = model_diagrams(name, out, max_nodes=None, optimized=args.optimized,
                           passes_dir=out / f"{name}_passes" if args.passes else None,
                           on_stage=progress)
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
