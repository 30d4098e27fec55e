"""Where a report was measured: Python, NumPy, torch (if installed), the CPU and thread counts.

Timings mean little without it; `dualgraph compare --baseline` also warns when two reports
come from different environments. Versions are read from package metadata, so torch is not
imported (a second of startup) just to print its version.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas_threads() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = threadpool_info()
    return ", ".join(f"{p['internal_api']} {p['num_threads']}" for p in pools) or "none loaded"


def environment() -> dict:
    """``{"python", "numpy", "torch", "platform", "cpu", "cpu_count", "threads"}``."""
    import numpy  # noqa: F401  -- loaded, so its BLAS shows up in the thread pools

    import eager

    env_threads = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                              "MKL_NUM_THREADS") if k in os.environ}
    return {"python": platform.python_version(), "numpy": _version("numpy"),
            "torch": _version("torch"), "dualgraph": _version("dualgraph"),
            "platform": platform.platform(), "cpu": _cpu_model(), "cpu_count": os.cpu_count(),
            "threads": {"eager": eager.get_num_threads(), "blas": _blas_threads(),
                        **env_threads}}
