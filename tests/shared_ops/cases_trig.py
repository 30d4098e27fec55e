"""Op cases of the trigonometric and hyperbolic primitives (``tan``, ``asin``, ``acos``,
``atan``, ``sinh``, ``cosh``, ``asinh``, ``acosh``, ``atanh``), walked by
``test_registry_walk.py``: inputs inside each function's domain (away from the poles and
branch points, where a finite difference would not approximate the derivative), NumPy's
ufunc as the reference and torch as the oracle."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, torch_function, uniform_data

rng = np.random.default_rng(2416)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)

for name, ref, lo, hi in (("tan", np.tan, -1.2, 1.2), ("asin", np.arcsin, -0.9, 0.9),
                          ("acos", np.arccos, -0.9, 0.9), ("atan", np.arctan, -4.0, 4.0),
                          ("sinh", np.sinh, -3.0, 3.0), ("cosh", np.cosh, -3.0, 3.0),
                          ("asinh", np.arcsinh, -4.0, 4.0), ("acosh", np.arccosh, 1.2, 5.0),
                          ("atanh", np.arctanh, -0.9, 0.9)):
    case(name, r(3, 4, lo=lo, hi=hi), ref=ref, torch_fn=torch_function(name))

# Outside the domain: nan, as PyTorch (no error, no warning leaking from NumPy).
for name, ref, values in (("asin", np.arcsin, [2.0, -1.5]), ("acosh", np.arccosh, [0.5, -3.0]),
                          ("atanh", np.arctanh, [1.0, -1.0, 2.0])):
    case(name, np.array(values), ref=ref, torch_fn=torch_function(name), id="outside",
         grad=False)
