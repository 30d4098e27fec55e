"""Twins and their training: the pieces every explanation of a disagreement starts from.

`make_twins` builds a zoo model twice under one seed (one case per mode, equal weights
checked); `train_twin` runs a twin's recorded steps; `compare_records` and `first_bad_step`
hold the two modes' records side by side; `train_and_compare` does all of it from fresh
twins. The runner (`runner.run_model`) measures with them, and the explanations it asks for
when the modes disagree (`diffing`, `attribution`) rebuild and retrain twins with them, so
this module sits below all three.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from . import agreement
from .batches import as_arrays
from .modes import EagerTwin, StaticTwin, eager_replay, manual_seed, param_arrays
from .zoo.registry import get_model

Progress = Callable[[str], None]


def make_twins(name: str, dtype: np.dtype, seed: int) -> tuple[Any, Any]:
    """Two identical `ModelCase`s: the factory called twice under the same seed."""
    entry = get_model(name)
    manual_seed(seed)
    a = entry.factory(dtype)
    manual_seed(seed)
    b = entry.factory(dtype)
    a.batches, b.batches = as_arrays(a.batches), as_arrays(b.batches)  # eager tensors welcome
    pa, pb = param_arrays(a.model), param_arrays(b.model)
    if pa.keys() != pb.keys() or any(not np.array_equal(pa[k], pb[k]) for k in pa):
        raise RuntimeError(f"model {name!r}: two calls of its factory under seed {seed} gave "
                           "different weights; it must draw only from the eager seed")
    return a, b


def batch_at(case, k: int):
    """The batch of step ``k`` (the case's batches, repeated in order)."""
    return case.batches[k % len(case.batches)]


def train_twin(twin, case, steps: int, on_step: Progress | None) -> tuple[list, list, list]:
    """``steps`` recorded steps; returns records, run times and whether each step traced."""
    records, times, built = [], [], []
    for k in range(steps):
        inputs, targets = batch_at(case, k)
        new = False
        if isinstance(twin, StaticTwin):
            before = len(twin.plans)
            twin.plan_for(inputs, targets)
            new = len(twin.plans) > before
        t0 = time.perf_counter()
        try:
            records.append(twin.step(inputs, targets))
        except Exception as e:
            if isinstance(twin, StaticTwin):  # show where eager stops on the same inputs
                e.dualgraph_step = k + 1
                e.dualgraph_replay = eager_replay(case.model, case.loss, inputs, targets)
            raise
        times.append(time.perf_counter() - t0)
        built.append(new)
        if on_step:
            on_step(f"{twin.mode} step {k + 1}/{steps}")
    return records, times, built


def compare_records(rec_e: list, rec_s: list, params_e: dict, params_s: dict,
                    tol: float) -> dict:
    """The agreement sections (outputs, loss, gradients of every step; parameters after the
    last), their summary and the tolerance used."""
    sections = {
        "outputs": agreement.compare_arrays([r.output for r in rec_e],
                                            [r.output for r in rec_s], tol=tol),
        "loss": agreement.compare_arrays([r.loss for r in rec_e], [r.loss for r in rec_s],
                                         tol=tol),
        "gradients": agreement.compare_dicts(
            {f"{k}@{i}": v for i, r in enumerate(rec_e) for k, v in r.grads.items()},
            {f"{k}@{i}": v for i, r in enumerate(rec_s) for k, v in r.grads.items()}, tol=tol),
        "parameters": agreement.compare_dicts(params_e, params_s, tol=tol),
    }
    return {**sections, **agreement.summarize(sections), "tolerance": tol}


def train_and_compare(name: str, *, steps: int, dtype: str = "float64", seed: int = 0,
                      passes: Any = None) -> tuple[dict, Any]:
    """Train fresh twins ``steps`` steps (static compiled with ``passes``) and compare them.

    Returns the agreement dict and the static twin (its plans hold the compiler's reports).
    """
    case_e, case_s = make_twins(name, np.dtype(dtype), seed)
    eager_twin, static_twin = EagerTwin(case_e), StaticTwin(case_s, passes=passes)
    rec_e, _, _ = train_twin(eager_twin, case_e, steps, None)
    rec_s, _, _ = train_twin(static_twin, case_s, steps, None)
    tol = agreement.tolerance_for(dtype)
    return (compare_records(rec_e, rec_s, param_arrays(case_e.model),
                            param_arrays(case_s.model), tol), static_twin)


def first_bad_step(rec_e: list, rec_s: list, tol: float) -> int | None:
    """Index of the first step whose output, loss or gradients disagree (None: none does)."""
    for k, (a, b) in enumerate(zip(rec_e, rec_s, strict=True)):
        parts = [agreement.compare_arrays([a.output, a.loss], [b.output, b.loss], tol=tol),
                 agreement.compare_dicts(a.grads, b.grads, tol=tol)]
        if not all(p["agrees"] for p in parts):
            return k
    return None
