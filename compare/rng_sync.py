"""Same dropout masks in both twins: the harness drives both modes' random seeds per step.

Left alone, the eager twin draws dropout seeds from eager's global generator and the static
twin from its graph's generator state (``static/rng.py``): both correct, but different masks,
so outputs and gradients of a model with dropout could not be compared value by value. The
harness therefore pins both to one schedule: the ``j``-th draw of training step ``k`` (from 1)
uses ``fold_seed([DROPOUT_SEED, k], key=j)``.

* static: before step ``k`` the graph's state is set to ``[DROPOUT_SEED, k - 1]``; the step
  advances it to ``[DROPOUT_SEED, k]`` and the ``j``-th dropout traced reads key ``j``;
* eager: during step ``k`` eager's seed source is replaced by one that hands out exactly
  those seeds, in call order (the forward runs the dropouts in the order they were traced).

Each graph of a multi-signature model is set before its step, so the schedule follows the
step number, not how many steps one graph ran. Models without dropout draw nothing. (This
module only computes seeds; `modes` applies them to the twins.)
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

import shared_ops

DROPOUT_SEED = 20240611


def _seed(step: int, key: int) -> int:
    return int(shared_ops.fold_seed(np.array([DROPOUT_SEED, step], np.int64), key=key))


@contextlib.contextmanager
def eager_step_seeds(step: int) -> Iterator[None]:
    """Inside the block, eager dropout draws the seeds of static step ``step``."""
    keys = itertools.count()
    with shared_ops.using_seed_source("eager", lambda _x: _seed(step, next(keys))):
        yield


def prepare_static_step(state: Any, step: int) -> None:
    """Set a graph's generator ``state`` (``static.rng_state(graph)``; None: the graph draws
    nothing) so that running the graph is step ``step`` of the schedule."""
    if state is not None:
        state.value[...] = (DROPOUT_SEED, step - 1)
