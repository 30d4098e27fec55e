"""``python -m compare.fuzz --examples N --seed S``: the long run of the differential fuzzer.

Draws N programs (hypothesis, seeded, no example database), runs each through every executor
and stops at the first disagreement that no known bug (`known`) explains; hypothesis shrinks
it and it is printed as a runnable script (``--out FILE`` also writes it). ``--skip NAME``
leaves an executor out and ``--exclude-op NAME`` a catalog entry, so a run can look past a
finding. Exit status: 0 when every program agreed, 1 when a finding was printed.
"""

from __future__ import annotations

import argparse
import sys

from hypothesis import HealthCheck, given, seed, settings

from .catalog import ENTRIES
from .executors import executor_names
from .generate import programs
from .known import known_bug
from .script import check_program, report, torch_available


class Finding(AssertionError):
    """A program on which executors disagree (carries the printed report)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compare.fuzz", description=__doc__)
    parser.add_argument("--examples", type=int, default=500, help="programs to try")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed")
    parser.add_argument("--max-stmts", type=int, default=8, help="statements per program")
    parser.add_argument("--skip", action="append", default=[], help="executor to leave out")
    parser.add_argument("--exclude-op", action="append", default=[],
                        help="catalog entry to leave out (e.g. one with a known finding)")
    parser.add_argument("--empty", action="store_true", help="allow zero-size input dims")
    parser.add_argument("--show-known", action="store_true",
                        help="also stop at findings of known bugs (compare.fuzz.known)")
    parser.add_argument("--out", help="also write the shrunk reproducer to this file")
    args = parser.parse_args(argv)

    names = [n for n in executor_names(torch_available()) if n not in args.skip]
    known: dict[str, int] = {}

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @seed(args.seed)
    @given(programs(entries=sorted(set(ENTRIES) - set(args.exclude_op)),
                    max_stmts=args.max_stmts, empty=args.empty))
    def run(program) -> None:
        found = check_program(program, executors=names)
        bug = None if args.show_known else known_bug(program, found)
        if bug is not None:
            known[bug.test] = known.get(bug.test, 0) + 1
        elif found:
            raise Finding(report(program, found))

    try:
        run()
    except Finding as e:
        return _print_findings([str(e)], args.out)  # the raised one is the shrunk one
    except Exception as group:  # an ExceptionGroup: hypothesis found several distinct ones
        subs = getattr(group, "exceptions", None)
        if not subs or not all(isinstance(x, Finding) for x in subs):
            raise
        return _print_findings([str(x) for x in subs], args.out)
    print(f"{args.examples} programs: all executors agree ({', '.join(names)})")
    for test, n in known.items():
        print(f"  (known bug {test}: {n} program(s) dropped)")
    return 0


def _print_findings(reports: list[str], out: str | None) -> int:
    print("\n\n".join(reports))
    if out:
        with open(out, "w") as f:
            f.write("\n".join(r.split("--- reproducer ---\n", 1)[1] for r in reports))
    return 1


if __name__ == "__main__":
    sys.exit(main())
