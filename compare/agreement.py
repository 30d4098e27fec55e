"""Agreement between the two modes: max absolute and relative error, and the verdict.

Tolerances (documented once, here): float64 ``1e-6``; float32 ``1e-4`` (a float32 step
accumulates rounding of ~1e-7 relative per op, and the two modes may order reductions
differently; 1e-4 leaves room for a few hundred ops while still catching any real bug,
which shows up at 1e-2 or worse). A quantity *agrees* when

    max |static - eager| <= tol * max(1, max |eager|)

i.e. an absolute tolerance for values of order one, relative for large values.
The relative error reported is ``max |static - eager| / max(max |eager|, tiny)``.

    >>> import numpy as np
    >>> compare_arrays([np.ones(3)], [np.ones(3) + 1e-9], tol=1e-6)["agrees"]
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

TOLERANCES = {"float64": 1e-6, "float32": 1e-4}


def tolerance_for(dtype: np.dtype | str) -> float:
    """The documented tolerance for a model trained in ``dtype``."""
    return TOLERANCES[str(np.dtype(dtype))]


def compare_arrays(reference: Sequence[Any], other: Sequence[Any], *, tol: float) -> dict:
    """Max abs/rel error over paired arrays (eager first) and whether they agree within ``tol``.

    Shape mismatches and non-finite disagreements (NaN on one side only) never agree.
    """
    max_abs, scale, ok, problems = 0.0, 0.0, True, []
    for k, (a, b) in enumerate(zip(reference, other, strict=True)):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            problems.append(f"item {k}: shapes {a.shape} vs {b.shape}")
            ok = False
            continue
        same_nan = np.isnan(a) == np.isnan(b)
        if not same_nan.all():
            problems.append(f"item {k}: NaN in one mode only")
            ok = False
        finite = np.isfinite(a) & np.isfinite(b)
        if finite.any():
            max_abs = max(max_abs, float(np.max(np.abs(a[finite] - b[finite]))))
            scale = max(scale, float(np.max(np.abs(a[finite]))))
        inf_mismatch = (np.isinf(a) | np.isinf(b)) & (a != b)
        if inf_mismatch.any():
            problems.append(f"item {k}: infinities differ")
            ok = False
    rel = max_abs / max(scale, np.finfo(np.float64).tiny)
    agrees = ok and max_abs <= tol * max(1.0, scale)
    return {"max_abs": max_abs, "max_rel": rel, "tolerance": tol, "agrees": bool(agrees),
            "problems": problems}


def compare_dicts(reference: dict, other: dict, *, tol: float) -> dict:
    """`compare_arrays` over the keys of two dicts of arrays, plus the worst key."""
    keys = sorted(reference)
    if set(keys) != set(other):
        missing = sorted(set(keys) ^ set(other))
        return {"max_abs": float("inf"), "max_rel": float("inf"), "tolerance": tol,
                "agrees": False, "problems": [f"keys differ: {missing}"], "worst": None}
    worst, worst_err = None, -1.0
    for key in keys:
        r = compare_arrays([reference[key]], [other[key]], tol=tol)
        if r["max_abs"] > worst_err:
            worst, worst_err = key, r["max_abs"]
    result = compare_arrays([reference[k] for k in keys], [other[k] for k in keys], tol=tol)
    result["worst"] = worst
    return result


def summarize(sections: dict[str, dict]) -> dict:
    """All sections agree? Which one is worst (by abs error)?"""
    worst = max(sections, key=lambda k: sections[k]["max_abs"]) if sections else None
    return {"agrees": all(s["agrees"] for s in sections.values()), "worst_section": worst}
