"""Running an export with onnxruntime beside the static graph: the agreement check behind
``dualgraph export --check`` and the tests.

Random inputs: floats standard normal, integers in [0, 3), booleans fair coins; an unknown
axis 0 takes each batch size, any other unknown dim ``other_dim``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Agreement:
    """The largest |onnxruntime - static| over all outputs, per batch size."""

    max_abs_diff: dict[int, float]

    @property
    def worst(self) -> float:
        return max(self.max_abs_diff.values(), default=0.0)


def random_feeds(inputs: Sequence[Any], batch: int, rng: np.random.Generator,
                 other_dim: int = 3) -> list[np.ndarray]:
    """One random array per placeholder, unknown dims filled in."""
    out = []
    for ph in inputs:
        shape = tuple(d if d is not None else (batch if axis == 0 else other_dim)
                      for axis, d in enumerate(ph.aval.shape))
        dtype = ph.aval.dtype
        if dtype.kind == "f":
            a = rng.standard_normal(shape).astype(dtype)
        elif dtype.kind in "iu":
            a = rng.integers(0, 3, shape).astype(dtype)
        else:
            a = rng.random(shape) < 0.5
        out.append(a)
    return out


def ort_session(model: Any, threads: int = 1, optimize: bool = True) -> Any:
    """An onnxruntime CPU session over ``model`` (a ModelProto); ``optimize=False`` skips
    onnxruntime's graph rewrites (a third faster to open, for one-shot checks)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if not optimize:
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # warnings about unused initializers are not the user's
    return ort.InferenceSession(model.SerializeToString(), opts,
                                providers=["CPUExecutionProvider"])


def run_ort(session: Any, arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The session's outputs for one array per input, in input order."""
    names = [i.name for i in session.get_inputs()]
    return session.run(None, dict(zip(names, arrays, strict=True)))


def check_agreement(exported: Any, batch_sizes: Sequence[int] = (2, 5), seed: int = 0,
                    other_dim: int = 3) -> Agreement:
    """Run ``exported`` (an `OnnxExport`) with onnxruntime and its static graph with a
    Session on the same random inputs, at each batch size; the largest difference."""
    from ..session import Session

    rng = np.random.default_rng(seed)
    session, static_session = ort_session(exported.model), Session(exported.graph)
    diffs = {}
    for batch in batch_sizes:
        arrays = random_feeds(exported.inputs, batch, rng, other_dim)
        want = static_session.run(list(exported.outputs), dict(zip(exported.inputs, arrays,
                                                                    strict=True)))
        got = run_ort(session, arrays)
        diffs[batch] = max((_diff(g, w) for g, w in zip(got, want, strict=True)), default=0.0)
    return Agreement(diffs)


def _diff(got: np.ndarray, want: np.ndarray) -> float:
    want = np.asarray(want)
    if got.shape != want.shape:
        raise AssertionError(f"onnxruntime gave shape {got.shape}, the static run {want.shape}")
    if got.size == 0:
        return 0.0
    return float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
