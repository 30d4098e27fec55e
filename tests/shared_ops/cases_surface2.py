"""Op cases of issue 16's second batch: running log-sum-exp and running extremes
(``logcumsumexp``, ``cumextreme_index``), the float bits and tail (``signbit``,
``frexp_exponent``, ``erfc``) and the Bessel functions ``i0``/``i1``, walked by
``test_registry_walk.py``.

References are NumPy written for clarity; every op PyTorch has gets a ``torch_fn`` oracle.
"""

from __future__ import annotations

import math

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(1662)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def lcse_ref(x, dim):
    # In float64 with the running maximum subtracted per prefix: exact for moderate ranges.
    moved = np.moveaxis(x, dim, -1)
    out = np.empty_like(moved)
    for i in range(moved.shape[-1]):
        m = moved[..., : i + 1].max(axis=-1, keepdims=True)
        out[..., i] = (m + np.log(np.exp(moved[..., : i + 1] - m).sum(-1, keepdims=True)))[..., 0]
    return np.moveaxis(out, -1, dim)


def extreme_ref(x, dim, largest):
    moved = np.moveaxis(x, dim, -1)
    out = np.zeros(moved.shape, np.int64)
    for pos in np.ndindex(moved.shape[:-1]):
        best = 0
        for i in range(moved.shape[-1]):
            v, b = moved[pos + (i,)], moved[pos + (best,)]
            # torch's kernel: a nan always takes over (so the latest nan wins), a number
            # only replaces a number.
            if np.isnan(v) or (not np.isnan(b) and (v >= b if largest else v <= b)):
                best = i
            out[pos + (i,)] = best
    return np.moveaxis(out, -1, dim)


case("logcumsumexp", r(3, 5), dim=1, ref=lcse_ref,
     torch_fn=lambda torch, x, dim: torch.logcumsumexp(x, dim), id="rows")
case("logcumsumexp", r(4, 2, lo=-3, hi=3), dim=-2, ref=lcse_ref,
     torch_fn=lambda torch, x, dim: torch.logcumsumexp(x, dim), id="neg-dim")
# Inputs a thousand apart: a naive log(cumsum(exp)) overflows or underflows to -inf.
case("logcumsumexp", np.array([[-800.0, 0.3, 900.0, 899.0, -1000.0]]), dim=1, ref=lcse_ref,
     torch_fn=lambda torch, x, dim: torch.logcumsumexp(x, dim), id="wide-range")

ties = np.array([[1.0, 3.0, 3.0, 2.0, 5.0], [0.0, -1.0, -1.0, 4.0, -2.0]])
case("cumextreme_index", ties, dim=1, largest=True, ref=extreme_ref,
     torch_fn=lambda torch, x, dim, largest: torch.cummax(x, dim).indices, id="max-ties")
case("cumextreme_index", ties, dim=1, largest=False, ref=extreme_ref,
     torch_fn=lambda torch, x, dim, largest: torch.cummin(x, dim).indices, id="min-ties")
case("cumextreme_index", np.array([[1.0, np.nan, 3.0], [2.0, 0.0, np.nan]]), dim=0,
     largest=True, ref=extreme_ref,
     torch_fn=lambda torch, x, dim, largest: torch.cummax(x, dim).indices, id="nan-cols")
case("cumextreme_index", np.array([[1.0, np.nan, 3.0, np.nan, 0.0]]), dim=1,
     largest=False, ref=extreme_ref,
     torch_fn=lambda torch, x, dim, largest: torch.cummin(x, dim).indices, id="two-nans")

case("signbit", np.array([-0.0, 0.0, -2.5, 3.0, -np.inf]), ref=np.signbit,
     torch_fn=lambda torch, x: torch.signbit(x))
case("frexp_exponent", np.array([8.0, -0.3, 0.0, 1e-300, 5e300]),
     ref=lambda x: np.frexp(x)[1].astype(np.int32),
     torch_fn=lambda torch, x: torch.frexp(x).exponent)
case("erfc", r(3, 4, lo=-3, hi=3), ref=np.vectorize(math.erfc),
     torch_fn=lambda torch, x: torch.erfc(x), id="central")
case("erfc", np.array([4.0, 6.5, 10.0, 26.0]), ref=np.vectorize(math.erfc),
     torch_fn=lambda torch, x: torch.erfc(x), id="tail")

# Both branches of the Bessel kernels: the series (|x| <= 30) and the asymptotic expansion.
case("i0", r(3, 4, lo=-4, hi=4), ref=np.i0, torch_fn=lambda torch, x: torch.special.i0(x),
     id="series")
case("i0", np.array([-33.0, 31.0, 35.0]), ref=np.i0,
     torch_fn=lambda torch, x: torch.special.i0(x), id="asymptotic")
case("i1", np.array([-3.5, -0.2, 0.0, 0.7, 12.0]),
     ref=lambda x: np.array([math.fsum((v / 2) ** (2 * k + 1) / (math.factorial(k)
                                                               * math.factorial(k + 1))
                                       for k in range(80)) for v in x]),
     torch_fn=lambda torch, x: torch.special.i1(x), id="series")


# entr: values on both sides of 0 and its gradient -(1 + log x) (inf at 0, nan below).
case("entr", np.array([0.2, 0.5, 1.0, 2.5, 7.0]),
     torch_fn=lambda torch, x: torch.special.entr(x), id="positive")
case("entr", np.array([-1.0, 0.0, 0.5, np.inf, np.nan]), grad=False,
     torch_fn=lambda torch, x: torch.special.entr(x), id="edges")

# ndtri: the lower tail, where sqrt 2 erfinv(2p - 1) would round 2p - 1 to -1 (-inf).
case("ndtri", np.array([0.02, 0.3, 0.5, 0.9, 0.98]),
     torch_fn=lambda torch, x: torch.special.ndtri(x), id="central")
case("ndtri", np.array([0.0, 1e-300, 1e-20, 1e-10, 1 - 1e-12, 1.0, -0.1, 1.1]), grad=False,
     torch_fn=lambda torch, x: torch.special.ndtri(x), id="tails")
