"""`shared_ops.heap_reuse`: after ``import shared_ops`` a step that allocates and frees the same
arrays again does not page-fault (glibc only), and the opt-outs leave glibc's defaults."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shared_ops import heap_reuse

# A step's pattern: three 4 MiB arrays written, then all freed; the faults of the 5 steps after
# a warm-up one. With glibc's defaults the freed top of the heap (over its adaptive trim
# threshold, 8 MiB after the first free) goes back to the OS each step: 1,000-1,600 faults a
# step here.
_STEPS = """
import resource, sys
import numpy as np
import shared_ops

def step():
    arrays = [np.ones(1 << 20, np.float32) for _ in range(3)]
    del arrays

step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

glibc_only = pytest.mark.skipif(
    not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"), reason="the thresholds are glibc's")


def _faults(**env: str) -> int:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("MALLOC_") and k != "DUALGRAPH_KEEP_HEAP"}
    out = subprocess.run([sys.executable, "-c", _STEPS], env={**clean, **env},
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@glibc_only
def test_repeated_steps_reuse_the_heap():
    assert _faults() < 100  # 5 steps of 3,072 pages each


@glibc_only
def test_opt_out_keeps_glibcs_defaults():
    assert _faults(DUALGRAPH_KEEP_HEAP="0") > 5 * 1000
    assert _faults(MALLOC_TOP_PAD_="131072") > 5 * 1000  # the user's own setting wins


def test_opt_out_reports_nothing_set(monkeypatch):
    monkeypatch.setenv("DUALGRAPH_KEEP_HEAP", "0")
    assert heap_reuse.keep_freed_memory() is False
