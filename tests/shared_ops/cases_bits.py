"""Op cases of issue 16's third batch: ``gcd``, ``lcm``, the shifts, ``nextafter``,
``heaviside`` (`shared_ops/ops/bit_math.py`), ``histogramdd_counts``
(`shared_ops/ops/histograms.py`) and ``logit`` (`shared_ops/ops/logit_op.py`), walked by
``test_registry_walk.py``.

References are NumPy written for clarity, at the edges as PyTorch's kernels answer; every op
PyTorch has gets a ``torch_fn`` oracle.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector
from opcases import torch_function as _t

CASES: list[OpCase] = []
case = case_collector(CASES)
rng = np.random.default_rng(4419)

i34 = rng.integers(-60, 60, size=(3, 4))
for name, npf in [("gcd", np.gcd), ("lcm", np.lcm)]:
    case(name, i34, i34[0], ref=npf, torch_fn=_t(name), grad=False, id="broadcast-row")
    case(name, np.array([0, 0, -9]), np.array([0, 5, 0]), ref=npf, torch_fn=_t(name),
         grad=False, id="zeros")


def shift_ref(left):
    def ref(x, y):
        bits = x.dtype.itemsize * 8
        out = []
        for a, b in zip(*np.broadcast_arrays(x, y), strict=True):
            b = int(b)
            if 0 <= b < bits:
                out.append(int(a) << b if left else int(a) >> b)
            else:  # past the width: PyTorch's 0 (left) or sign fill (right)
                out.append(0 if left else (-1 if a < 0 else 0))
        return np.array(out).astype(x.dtype)  # wraps around as the C shift does

    return ref


amounts = np.array([0, 1, 7, 31, 63, 64, 70, -1])
values = np.array([1, -3, 5, -1, 1, 9, -9, 4])
for name, left in [("bitwise_left_shift", True), ("bitwise_right_shift", False)]:
    case(name, values, amounts, ref=shift_ref(left), torch_fn=_t(name), grad=False,
         id="past-the-width")
    case(name, values.astype(np.int8), np.array([0, 1, 2, 7, 8, 9, 3, 100], np.int8),
         ref=shift_ref(left), torch_fn=_t(name), grad=False, id="int8")

case("nextafter", rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, 4), ref=np.nextafter,
     torch_fn=_t("nextafter"), id="broadcast-row")
# Where input == other the output is other: no finite difference there (the gradient, 0 as
# PyTorch's, is compared with torch in tests/eager/surface4).
case("nextafter", np.array([0.0, 1.0, -1.0]), np.array([1.0, 1.0, -2.0]), ref=np.nextafter,
     torch_fn=_t("nextafter"), grad=False, id="equal-and-zero")

case("heaviside", np.array([-1.5, 0.0, 2.0, np.nan, -0.0]), np.array([0.25]),
     ref=lambda x, v: np.where(x == 0, v, (x > 0).astype(x.dtype)), torch_fn=_t("heaviside"),
     grad=False, id="nan-and-zeros")
case("heaviside", i34, i34[:, :1], ref=lambda x, v: np.where(x == 0, v, (x > 0).astype(x.dtype)),
     torch_fn=_t("heaviside"), grad=False, id="int")


def counts_ref(terms, density=False):
    sample, weight, *edges = terms
    hist, _ = np.histogramdd(sample, bins=edges, weights=weight, density=density)
    return hist


def counts_torch(torch, terms, density=False):
    sample, weight, *edges = terms
    return torch.histogramdd(sample, list(edges), weight=weight, density=density).hist


points = rng.normal(size=(30, 2))
grid = [np.array([-2.0, -0.5, 0.0, 1.5]), np.array([-1.0, 0.0, 1.0])]
# Points on the edges: the last bin holds its right edge, the others their left one.
points[:4] = [[-0.5, 0.0], [1.5, 1.0], [-2.0, -1.0], [0.0, 3.0]]
case("histogramdd_counts", [points, np.ones(30), *grid], ref=counts_ref, torch_fn=counts_torch,
     grad=False, id="2d")
case("histogramdd_counts", [points, rng.uniform(0, 2, 30), *grid], density=True,
     ref=counts_ref, torch_fn=counts_torch, grad=False, id="weighted-density")


# logit: PyTorch's gradient g / (p (1 - p)) (finite differences away from 0 and 1; the inf
# there is compared with torch in tests/eager/surface4).
case("logit", rng.uniform(0.05, 0.95, (3, 4)), ref=lambda p: np.log(p / (1 - p)),
     torch_fn=_t("logit"), id="inside")
case("logit", np.array([0.0, 1.0, 0.5, -0.5, 2.0]), ref=lambda p: np.log(p / (1 - p)),
     torch_fn=_t("logit"), grad=False, id="ends-and-outside")
