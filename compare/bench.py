"""`dualgraph bench`: find the benchmark scripts, say what each measures, run them, collect.

A benchmark is a ``bench_*.py`` file (helpers beside it, such as ``static_peers.py``, are
never run). They are looked for, in order: under ``--root``; in the ``compare.benchmarks``
or a top-level ``benchmarks`` package (where an installed wheel would ship them as package
modules); beside this package in a source checkout; in the current folder. Each runs as its
own process (a crash or a slow one cannot take the others down), with ``--quick`` when its
source mentions that flag. What a script measures is read from its docstring with `ast`
(the script is not imported): the first paragraph, and each ``* W1 ...`` workload line.
``bench.json`` and ``bench.txt`` go to the out dir.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path

PATTERN = "bench_*.py"
# A workload line of a docstring: "* W1  text", "* ``session``: text" or "* text".
_WORKLOAD = re.compile(r"^\*\s+(?:(W\d+)\s+|((?:``[\w-]+``,?\s*)+):\s*)?(.*)$")


def search_folders(root: Path | None = None) -> list[Path]:
    """Where benchmarks are looked for (see the module docstring), existing ones only."""
    if root is not None:
        return [root / "benchmarks"]
    found = [Path(__file__).resolve().parent / "benchmarks"]
    spec = importlib.util.find_spec("benchmarks")
    if spec is not None and spec.submodule_search_locations:
        found += [Path(p) for p in spec.submodule_search_locations]
    found += [Path(__file__).resolve().parent.parent / "benchmarks", Path.cwd() / "benchmarks"]
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return [p for p in unique if p.is_dir()]


def find_scripts(root: Path | None = None) -> list[Path]:
    """The ``bench_*.py`` scripts of the first folder that has any (sorted), or []."""
    for folder in search_folders(root):
        scripts = sorted(folder.glob(PATTERN))
        if scripts:
            return scripts
    return []


def describe(path: Path) -> dict:
    """``{"summary": first docstring paragraph, "workloads": {"W1": text, ...}}``; unnamed
    bullets are keyed ``-1``, ``-2``... (printed as plain bullets)."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    except SyntaxError as e:
        return {"summary": f"(cannot read its docstring: {e.msg})", "workloads": {}}
    summary = " ".join(doc.split("\n\n")[0].split())
    workloads: dict[str, str] = {}
    current = None
    for line in doc.splitlines():
        m = _WORKLOAD.match(line.strip())
        if m:
            named = (m.group(2) or "").replace("``", "").strip()
            current = m.group(1) or named or f"-{len(workloads) + 1}"
            workloads[current] = m.group(3).strip()
        elif current and line.startswith("  ") and line.strip():
            workloads[current] += " " + line.strip()  # a workload's continuation line
        else:
            current = None
    return {"summary": summary, "workloads": {k: v.rstrip(";.") for k, v in workloads.items()}}


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
            "seconds": time.perf_counter() - t0, "output": output, **describe(path)}


def run_bench(root: Path | None, out: Path, *, quick: bool = True, timeout: float = 300.0,
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
