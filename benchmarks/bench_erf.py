"""erf (exact GELU's kernel) on whole arrays, against the C library's erf per element and PyTorch.

    python benchmarks/bench_erf.py

Times `shared_ops.ops.erf_kernel.erf_array` on 262,144 float32 values (the size of one
char-transformer GELU input) against its float64 path (correctly rounded; what float32 took
before its own path), ``np.frompyfunc(math.erf)`` (what the kernel was before that) and
``torch.special.erf`` on one thread when torch is installed; best of 5 rounds, three runs.
"""

from __future__ import annotations

import math
import timeit

import numpy as np

from shared_ops.ops.erf_kernel import erf_array


def _best_ms(fn) -> float:
    return min(timeit.repeat(fn, number=3, repeat=5)) / 3 * 1e3


def main() -> None:
    x = np.random.default_rng(0).standard_normal((64, 64, 64)).astype(np.float32)
    per_element = np.frompyfunc(math.erf, 1, 1)
    x64 = x.astype(np.float64)
    contenders = {"erf_array": lambda: erf_array(x),
                  "float64 path": lambda: erf_array(x64).astype(np.float32),
                  "math.erf per element": lambda: np.asarray(per_element(x), np.float32)}
    try:
        import torch
    except ImportError:
        print("torch is not installed: its column is left out")
    else:
        torch.set_num_threads(1)
        xt = torch.from_numpy(x)
        contenders["torch.special.erf (1 thread)"] = lambda: torch.special.erf(xt)
    erf_array(x)
    for run in range(3):
        times = {name: _best_ms(fn) for name, fn in contenders.items()}
        ours = times["erf_array"]
        print(f"run {run + 1}: " + ", ".join(
            f"{name} {ms:.2f} ms ({ms / ours:.2f}x erf_array)" for name, ms in times.items()))


if __name__ == "__main__":
    main()
