"""Op cases of the regularized incomplete gamma functions ``igamma`` (P) and ``igammac`` (Q),
walked by ``test_registry_walk.py``: both expansions (the series where x < a + 1, the
continued fraction elsewhere), broadcasting, and PyTorch's values at the edges. The
reference is the defining integral by the trapezoid rule on a fine grid; torch is the
oracle. Only ``x`` is differentiable (as in PyTorch)."""

from __future__ import annotations

import math

import numpy as np
from opcases import OpCase, case_collector, torch_function

rng = np.random.default_rng(3311)

CASES: list[OpCase] = []
case = case_collector(CASES)


def lower_by_quadrature(a, x):
    """P(a, x) = integral_0^x t^(a-1) e^-t dt / Gamma(a), for a >= 1 (a smooth integrand)."""
    a, x = np.broadcast_arrays(np.asarray(a, float), np.asarray(x, float))
    out = np.empty(a.shape)
    for i in np.ndindex(a.shape):
        t = np.linspace(0.0, x[i], 20001)
        f = np.exp((a[i] - 1) * np.log(np.maximum(t, 1e-300)) - t - math.lgamma(a[i]))
        out[i] = float(np.sum((f[1:] + f[:-1]) * 0.5 * np.diff(t)))
    return out


A = rng.uniform(1.0, 6.0, (3, 1))
X = rng.uniform(0.2, 9.0, (1, 4))  # both sides of x = a + 1
for name, ref in (("igamma", lower_by_quadrature),
                  ("igammac", lambda a, x: 1.0 - lower_by_quadrature(a, x))):
    case(name, A, X, ref=ref, torch_fn=torch_function(name), id="broadcast")

EDGE_A = np.array([0.0, 0.5, 2.0, -1.0, 1.0, 0.0, 3.0])
EDGE_X = np.array([1.0, 0.0, np.inf, 1.0, -1.0, 0.0, np.nan])
case("igamma", EDGE_A, EDGE_X, torch_fn=torch_function("igamma"), id="edges", grad=False)
case("igammac", EDGE_A, EDGE_X, torch_fn=torch_function("igammac"), id="edges", grad=False)
