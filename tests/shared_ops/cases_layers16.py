"""Op cases of issue 16's layers and functions (exp2/expm1, 3-d convolution and pooling, grid
sampling, CTC), walked by ``test_registry_walk.py``: NumPy reference, torch oracle and float64
finite differences.

References are written independently of the ops' decompositions: loops over output
positions or NumPy one-liners.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(16_2026)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def _t(name):
    def fn(torch, *args, **kw):
        return getattr(torch, name)(*args, **kw)

    return fn


# --- exp2, expm1 -----------------------------------------------------------------------------
case("exp2", r(3, 4, lo=-3, hi=3), ref=np.exp2, torch_fn=_t("exp2"))
case("expm1", r(3, 4), ref=np.expm1, torch_fn=_t("expm1"))
case("expm1", np.array([1e-10, -1e-12, 0.0]), ref=np.expm1, torch_fn=_t("expm1"), id="tiny")
case("exp2", np.array([1, 2, 10]), ref=lambda a: np.exp2(a).astype(np.float32), grad=False,
     id="int-to-float32")
