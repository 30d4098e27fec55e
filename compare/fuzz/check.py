"""Run one program through every executor and list where they disagree with eager.

Agreement is per array, scaled by the array's largest magnitude (see the tolerances in the
package docstring): ``|a - b| <= atol + rtol * max(max|a|, max|b|)`` elementwise, NaNs equal
to NaNs and infinities to infinities of the same sign; shapes must be identical and our
executors must keep float64.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import executors as ex

# (rtol, atol): our executors run the same kernels and gradient rules, so they agree to
# rounding (passes may reorder or fuse float64 arithmetic); PyTorch runs other algorithms
# (pairwise sums, its own logsumexp/var/erf), so it gets a looser bound.
OURS_TOL = (1e-9, 1e-12)
TORCH_TOL = (1e-7, 1e-10)


@dataclass
class Mismatch:
    """One disagreement: executor, what (out/loss/grad x1/error), how much, and detail."""

    executor: str
    what: str
    error: float
    detail: str
    relative: float = float("inf")  # error / the array's largest magnitude

    def __str__(self) -> str:
        amount = "" if self.what == "error" else f" (max abs err {self.error:.3g})"
        return f"{self.executor} vs eager: {self.what}{amount}: {self.detail}"


def disagreement(a: np.ndarray, b: np.ndarray, tol: tuple[float, float]) -> str | None:
    """None when ``b`` agrees with ``a``; else a short description of how it differs."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return f"shape {b.shape} != {a.shape}"
    if a.size == 0:
        return None
    rtol, atol = tol
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if (nan_a != nan_b).any():
        return f"NaN at {np.argwhere(nan_a != nan_b)[0].tolist()}: {b[nan_a != nan_b][0]!r}"
    inf = np.isinf(a) | np.isinf(b)
    if (a[inf] != b[inf]).any():
        return "infinities differ"
    fa, fb = a[~(nan_a | inf)], b[~(nan_a | inf)]
    if fa.size == 0:
        return None
    scale = max(np.abs(fa).max(), np.abs(fb).max())
    err = np.abs(fa - fb)
    if (err <= atol + rtol * scale).all():
        return None
    i = int(err.argmax())
    return f"max abs err {err[i]:.3g} (scale {scale:.3g}): got {fb[i]!r}, expected {fa[i]!r}"


def max_error(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.size == 0:
        return float("inf") if a.shape != b.shape else 0.0
    with np.errstate(invalid="ignore"):
        return float(np.nan_to_num(np.abs(a - b), nan=np.inf).max())


def compare_results(name: str, ref: ex.Result, got: ex.Result) -> list[Mismatch]:
    tol = TORCH_TOL if name == "torch" else OURS_TOL
    pairs = [("out", ref.out, got.out), ("loss", ref.loss, got.loss)]
    pairs += [(f"grad x{i}", r, g) for i, (r, g) in enumerate(zip(ref.grads, got.grads,
                                                                   strict=True))]
    found = []
    for what, r, g in pairs:
        if name != "torch" and np.asarray(g).dtype != np.float64:
            found.append(Mismatch(name, what, 0.0, f"dtype {np.asarray(g).dtype}, not float64"))
            continue
        why = disagreement(r, g, tol)
        if why is not None:
            err = max_error(r, g)
            scale = max(float(np.abs(np.nan_to_num(np.asarray(r))).max(initial=0.0)), 1e-300)
            found.append(Mismatch(name, what, err, why, err / scale))
    return found


def _error(name: str, e: BaseException) -> Mismatch:
    last = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
    where = f" [raised at {last.filename}:{last.lineno}]" if last else ""
    return Mismatch(name, "error", float("inf"), f"{type(e).__name__}: {e}{where}")


def check_function(fn: Callable, inputs: list[np.ndarray], weight: np.ndarray,
                   torch_fn: Callable | None = None,
                   executors: Sequence[str] | None = None) -> list[Mismatch]:
    """Run ``fn`` (and ``torch_fn``) through ``executors`` (default: all) against eager."""
    names = list(executors) if executors is not None else ex.executor_names(torch_fn is not None)
    try:
        ref = ex.run_eager(fn, inputs, weight)
    except Exception as e:  # noqa: BLE001 -- a well-typed program must run: report it
        return [_error("eager", e)]
    found: list[Mismatch] = []
    if "arrays" in names:  # plain NumPy through dispatch, no mode: values only
        try:
            out = np.asarray(fn(*inputs))
            found += [m for m in compare_results("arrays", ref, ex.Result(out, ref.loss,
                                                                           ref.grads))]
        except Exception as e:  # noqa: BLE001
            found.append(_error("arrays", e))
    for name in names:
        if name == "arrays":
            continue
        if name == "eager":
            continue
        try:
            got = ex.run(name, fn, torch_fn, inputs, weight)
        except ex.Inexpressible:
            continue
        except Exception as e:  # noqa: BLE001 -- any crash is a finding for this executor
            found.append(_error(name, e))
            continue
        found += compare_results(name, ref, got)
    return found
