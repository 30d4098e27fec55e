"""`dualgraph bench`: run the benchmark scripts in ``benchmarks/`` and collect what they print.

Each ``benchmarks/*.py`` is run as its own process (a crash or a slow one cannot take the
others down), with ``--quick`` when its source mentions that flag. The result per script:
exit status, wall time, and its output; ``bench.json`` and ``bench.txt`` go to the out dir.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def find_scripts(root: Path) -> list[Path]:
    """The benchmark scripts under ``root/benchmarks`` (sorted), or [] when there are none."""
    folder = root / "benchmarks"
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def run_script(path: Path, *, quick: bool = True, timeout: float = 300.0) -> dict:
    """Run one script; never raises for the script's own failure or timeout."""
    argv = [sys.executable, str(path)]
    if quick and "--quick" in path.read_text():
        argv.append("--quick")
    t0 = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              cwd=path.parent.parent)
        status, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as e:
        status = None
        output = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        output += f"\n[timed out after {timeout:.0f} s]"
    return {"script": path.name, "argv": argv[1:], "status": status,
            "seconds": time.perf_counter() - t0, "output": output}


def run_bench(root: Path, out: Path, *, quick: bool = True, timeout: float = 300.0,
              only: list[str] | None = None, on_script=None) -> list[dict]:
    """Run every (or the named) benchmark script; write ``bench.json`` and ``bench.txt``."""
    scripts = [p for p in find_scripts(root) if not only or p.stem in only or p.name in only]
    results = []
    for path in scripts:
        if on_script:
            on_script(path.name)
        results.append(run_script(path, quick=quick, timeout=timeout))
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=1))
    (out / "bench.txt").write_text("\n\n".join(
        f"== {r['script']} (status {r['status']}, {r['seconds']:.1f} s)\n{r['output']}"
        for r in results))
    return results
