"""Test cases of the binary float math, the gamma-family special functions and the counting
ops (``elementwise_binary``, ``special_functions``, ``division.fmod``, ``binning``), walked
by ``test_registry_walk.py``. Inputs keep away from poles and branch cuts, where finite
differences do not measure the derivative."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, torch_function, uniform_data

rng = np.random.default_rng(77)
r = uniform_data(rng)
CASES: list[OpCase] = []
case = case_collector(CASES)

_t = torch_function


case("atan2", r(3, 4), r(4, lo=0.2, hi=1.0), ref=np.arctan2, torch_fn=_t("atan2"), id="broadcast")
case("atan2", np.array([1.0, -1.0, 0.5]), np.array([-0.5, -0.5, 2.0]), ref=np.arctan2,
     torch_fn=_t("atan2"), id="quadrants")
case("hypot", r(3, 4), r(4, lo=0.2, hi=1.0), ref=np.hypot, torch_fn=_t("hypot"))
case("logaddexp", r(3, 4) * 50, r(4) * 50, ref=np.logaddexp, torch_fn=_t("logaddexp"))
case("logaddexp2", r(3, 4) * 50, r(4) * 50, ref=lambda x, y: np.logaddexp2(x, y),
     torch_fn=_t("logaddexp2"))
case("i0e", np.array([-40.0, -2.5, -0.3, 0.4, 3.0, 45.0]),
     torch_fn=lambda torch, x: torch.special.i0e(x))
case("i1e", np.array([-40.0, -2.5, -0.3, 0.4, 3.0, 45.0]),
     torch_fn=lambda torch, x: torch.special.i1e(x))
case("erfcx", np.array([-3.0, -0.5, 0.2, 2.0, 4.9, 5.1, 12.0, 40.0]),
     torch_fn=lambda torch, x: torch.special.erfcx(x))
case("log_ndtr", np.array([-30.0, -4.0, -1.2, -0.8, 0.3, 2.5, 9.0]),
     torch_fn=lambda torch, x: torch.special.log_ndtr(x))
case("zeta", np.array([2.0, 3.5, 1.5, 6.0]), np.array([1.0, 0.3, 2.5, 12.0]),
     torch_fn=lambda torch, x, q: torch.special.zeta(x, q))
case("fmod", r(3, 4) * 5, np.array([0.7, -1.3, 2.1, -0.45]), ref=np.fmod, torch_fn=_t("fmod"))
case("fmod", np.array([-7, 7, -8]), np.array([2, -3, 3]), ref=np.fmod, torch_fn=_t("fmod"),
     grad=False, id="int")
case("xlogy", np.array([0.0, 0.5, 2.0, 0.0]), np.array([0.0, 3.0, 0.25, np.nan]),
     ref=lambda x, y: np.where(x == 0, np.where(np.isnan(y), np.nan, 0.0), x * np.log(y)),
     torch_fn=_t("xlogy"), grad=False, id="zeros")
case("xlogy", r(2, 3), r(3, lo=0.3, hi=2.0), torch_fn=_t("xlogy"), id="broadcast")
# At input 0 the gradient in input is log(other), as torch's rule (not 0).
case("xlogy", np.array([0.0, 0.0, 1.5]), np.array([0.5, 3.0, 0.25]), torch_fn=_t("xlogy"),
     id="grad-at-zero")
case("xlog1py", np.array([0.0, 0.0, 1.5, 2.0]), np.array([0.5, -0.5, 0.25, 3.0]),
     torch_fn=lambda torch, x, y: torch.special.xlog1py(x, y), id="grad-at-zero")
case("lgamma", np.array([0.3, 1.5, 4.2, 12.5, -0.5, -2.7]), torch_fn=_t("lgamma"))
case("lgamma", np.array([0.0, -1.0, -2.0, np.inf]), torch_fn=_t("lgamma"), grad=False,
     id="poles")
case("digamma", np.array([0.3, 1.5, 4.2, 12.5, -0.5, -2.7]), torch_fn=_t("digamma"))
case("digamma", np.array([0.0, -1.0, 1e-8, np.inf]), torch_fn=_t("digamma"), grad=False,
     id="poles")
for order in (1, 2, 4):
    case("polygamma", np.array([0.3, 1.5, 4.2, 12.5, -0.5, -2.7]), n=order, id=f"n{order}",
         torch_fn=lambda torch, x, n: torch.polygamma(n, x))
case("polygamma", np.array([0.0, -1.0, -2.0, np.inf, -np.inf]), n=3, grad=False, id="poles",
     torch_fn=lambda torch, x, n: torch.polygamma(n, x))
case("histc", rng.uniform(-1, 3, 40), bins=5, min=0, max=2,
     ref=lambda x, bins, min, max: np.histogram(x[(x >= min) & (x <= max)], bins,
                                               (min, max))[0].astype(x.dtype),
     torch_fn=lambda torch, x, **kw: torch.histc(x, **kw), grad=False)
case("histc", np.array([1.0, 2.0, 1.0, 4.0]), bins=3, grad=False, id="data-range",
     torch_fn=lambda torch, x, **kw: torch.histc(x, **kw))
case("bincount", np.array([0, 1, 1, 3, 1]), ref=np.bincount, torch_fn=_t("bincount"),
     grad=False)
case("bincount", np.array([0, 2]), np.array([0.5, 1.5]), minlength=5, grad=False,
     ref=lambda x, w, minlength: np.bincount(x, w, minlength),
     torch_fn=lambda torch, x, w, minlength: torch.bincount(x, w, minlength), id="weights")
case("searchsorted", np.array([1.0, 3.0, 3.0, 5.0]), np.array([[0.0, 3.0], [3.5, 9.0]]),
     ref=lambda s, v: np.searchsorted(s, v), torch_fn=_t("searchsorted"), grad=False)
case("searchsorted", np.array([[1, 3, 5], [2, 4, 6]]), np.array([[3], [5]]), right=True,
     ref=lambda s, v, right: np.stack([np.searchsorted(s[i], v[i], "right") for i in range(2)]),
     torch_fn=lambda torch, s, v, right: torch.searchsorted(s, v, right=right), grad=False,
     id="batched-right")
case("mode_index", np.array([[1.0, 3, 3, 2, 2], [5, 5, 1, 1, 0]]), dim=1, grad=False,
     torch_fn=lambda torch, x, dim: torch.mode(x, dim).indices)
case("kthvalue_index", np.array([[2.0, 1, 2, 1, 2, 1, 1, 2, 2], [3, 1, 4, 1, 5, 9, 2, 6, 5]]),
     k=5, dim=1, grad=False, torch_fn=lambda torch, x, k, dim: torch.kthvalue(x, k, dim).indices)
