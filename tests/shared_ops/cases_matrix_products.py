"""Op cases of ``mm`` and ``bmm`` (matmul with torch's rank checks), walked by
``test_registry_walk.py``: NumPy's matmul as the reference, torch as the oracle."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, torch_function, uniform_data

rng = np.random.default_rng(4041)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)

case("mm", r(3, 4), r(4, 2), ref=np.matmul, torch_fn=torch_function("mm"))
case("bmm", r(2, 3, 4), r(2, 4, 5), ref=np.matmul, torch_fn=torch_function("bmm"))
