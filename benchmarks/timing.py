"""`race`: the timing loop of the benchmark scripts (one copy: `bench_static.py` and
`bench_user_table.py` both report with it); `switches`: their command lines' on/off flags."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable


def race(contenders: dict[str, Callable[[], object]], rounds: int, per_round: int = 1,
         warmup: int = 2, unit: float = 1e3,
         clock: Callable[[], float] = time.perf_counter) -> dict[str, tuple[float, float]]:
    """Median and interquartile range of each contender's call, in ``1 / unit`` seconds
    (1e3: milliseconds, 1e6: microseconds). Each is called ``warmup`` times first (plans,
    caches, BLAS buffers), then ``per_round`` times a round for ``rounds`` interleaved rounds,
    so that a load change on a shared machine hits all of them alike. ``clock``:
    ``time.perf_counter`` (wall time) or ``time.thread_time`` (the calling thread's CPU time,
    steadier on a loaded machine; it counts all the work only where every contender runs on
    the calling thread: one BLAS and one torch thread).

    >>> sorted(race({"noop": lambda: None}, rounds=3))
    ['noop']
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    for _ in range(rounds):
        for name, fn in contenders.items():
            for _ in range(per_round):
                t0 = clock()
                fn()
                times[name].append((clock() - t0) * unit)
    out = {}
    for name, ts in times.items():
        q = statistics.quantiles(ts, n=4) if len(ts) > 1 else [ts[0]] * 3
        out[name] = (statistics.median(ts), q[2] - q[0])
    return out


def switches(doc: str, **flags: str) -> argparse.ArgumentParser:
    """A parser described by ``doc``'s first line, with one on/off option a keyword: its name
    with dashes for underscores, the value its help.

    >>> switches("A benchmark.", quick="fewer steps").parse_args(["--quick"]).quick
    True
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, text in flags.items():
        parser.add_argument("--" + name.replace("_", "-"), action="store_true", help=text)
    return parser
