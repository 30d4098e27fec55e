"""Op cases of integer-style arithmetic, clamping with tensor bounds, norms and sampling
(bitwise_and/or/xor/not, floor_divide, remainder, clip/clamp_tensor, vector_norm,
matrix_norm, linalg_norm, norm, multinomial), walked by ``test_registry_walk.py``.

Differentiable cases stay away from kinks (a zero norm, x on a clamp bound, x / y an
integer); the gradients PyTorch defines *at* the kinks are checked against PyTorch in
test_torch_semantics.py. Multinomial has no torch oracle (PyTorch's stream differs): its
reference redraws from ``np.random.default_rng(seed)`` with a loop over rows.
"""

from __future__ import annotations

import math

import numpy as np
from opcases import OpCase, case_collector, torch_function, uniform_data

rng = np.random.default_rng(160)


r = uniform_data(rng)


CASES: list[OpCase] = []
case = case_collector(CASES)

_t = torch_function


# --- bitwise -----------------------------------------------------------------------------------
i34 = rng.integers(-8, 9, size=(3, 4))
b34 = rng.integers(0, 2, size=(3, 4)).astype(bool)
for name, npf in [("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or),
                  ("bitwise_xor", np.bitwise_xor)]:
    case(name, i34, i34[0], ref=npf, torch_fn=_t(name), grad=False, id="int-broadcast")
    case(name, b34, b34[:, :1], ref=npf, torch_fn=_t(name), grad=False, id="bool")
    case(name, i34.astype(np.int32), 3, ref=lambda a, b, f=npf: f(a, np.int32(b)),
         torch_fn=_t(name), grad=False, id="int32-scalar")
    case(name, b34, i34.astype(np.int16), ref=npf, torch_fn=_t(name), grad=False,
         id="bool-int16")
case("bitwise_not", i34, ref=np.invert, torch_fn=_t("bitwise_not"), grad=False, id="int")
case("bitwise_not", b34, ref=np.invert, torch_fn=_t("bitwise_not"), grad=False, id="bool")
case("bitwise_not", np.array([0, 200], np.uint8), ref=np.invert, torch_fn=_t("bitwise_not"),
     grad=False, id="uint8")

# --- floor_divide, remainder -------------------------------------------------------------------
signs = np.array([[-7, 7, -7, 7, 0], [6, -6, 5, -5, 1]])
divisors = np.array([2, 2, -2, -2, 3])
case("floor_divide", signs, divisors, ref=np.floor_divide, torch_fn=_t("floor_divide"),
     grad=False, id="int-signs")
case("floor_divide", signs.astype(np.float64) + 0.5, -1.5, ref=np.floor_divide,
     torch_fn=lambda torch, a, b: torch.floor_divide(a, b), grad=False, id="float-scalar")
case("floor_divide", np.array([1.0, -1.0, 0.0, 3.0]), np.array([0.0, 0.0, 0.0, -0.0]),
     ref=np.floor_divide, torch_fn=_t("floor_divide"), grad=False, id="float-by-zero")
case("floor_divide", np.array([7, -7]), 2.5, ref=lambda a, b: np.floor_divide(a, b).astype(
    np.float32), torch_fn=_t("floor_divide"), grad=False, id="int-by-float")
case("remainder", signs, divisors, ref=np.remainder, torch_fn=_t("remainder"), grad=False,
     id="int-signs")
# x / y kept away from integers: the remainder jumps there.
xr = np.array([[-3.3, 3.3, -2.2, 2.2], [0.7, -0.7, 5.9, -5.9]])
yr = np.array([1.25, -1.25, 0.9, -0.8])
case("remainder", xr, yr, ref=np.remainder, torch_fn=_t("remainder"), id="float-signs")
case("remainder", xr, 0.75, ref=np.remainder, torch_fn=_t("remainder"), id="scalar")
case("remainder", np.array([1.0, -1.0]), 0.0, ref=np.remainder, torch_fn=_t("remainder"),
     grad=False, id="by-zero-nan")

# --- clip / clamp with tensor bounds -----------------------------------------------------------
x34 = r(3, 4, lo=-2.0, hi=2.0)
lo = r(4, lo=-1.0, hi=-0.1)
hi = r(3, 1, lo=0.1, hi=1.0)
case("clip", x34, lo, hi, ref=lambda x, a, b: np.minimum(np.maximum(x, a), b),
     torch_fn=_t("clamp"), id="tensor-bounds")
case("clip", x34, lo, ref=lambda x, a: np.maximum(x, a), torch_fn=_t("clamp"), id="tensor-min")
case("clip", x34, None, hi, ref=lambda x, a, b: np.minimum(x, b), torch_fn=_t("clamp"),
     id="tensor-max")
case("clip", x34, lo, 0.5, ref=lambda x, a, b: np.minimum(np.maximum(x, a), b),
     torch_fn=lambda torch, x, a, b: torch.clamp(x, a, torch.tensor(b, dtype=x.dtype)),
     id="tensor-and-number")
case("clip", r(4), r(2, 4, lo=-1.0, hi=-0.5), r(2, 4, lo=0.5, hi=1.0),
     ref=lambda x, a, b: np.minimum(np.maximum(x, a), b), torch_fn=_t("clamp"),
     id="bounds-broadcast-x")
case("clip", np.array([1.0, 2.0]), float("nan"), ref=lambda x, a: np.full(2, np.nan),
     torch_fn=_t("clamp"), grad=False, id="nan-bound")
case("clip", np.array([1, 5, 9]), np.array([2, 2, 2]), np.array([6, 6, 6]),
     ref=lambda x, a, b: np.clip(x, a, b), torch_fn=_t("clamp"), grad=False, id="int-tensors")
case("clamp_tensor", x34, lo, hi, which="both",
     ref=lambda x, a, b, which: np.minimum(np.maximum(x, a), b))
case("clamp_tensor", x34, r(3, 4, lo=0.5, hi=1.0), r(3, 4, lo=-1.0, hi=-0.5), which="both",
     ref=lambda x, a, b, which: np.minimum(np.maximum(x, a), b),
     torch_fn=lambda torch, x, a, b, which: torch.clamp(x, a, b), id="min-above-max")

# --- norms -------------------------------------------------------------------------------------
v = r(3, 4)
v[np.abs(v) < 0.1] = 0.3  # no entry near 0 (|x| has a kink there)


def vnorm_ref(x, ord=2, dim=None, keepdim=False, dtype=None):  # noqa: A002
    axes = None if dim is None else dim
    a = np.abs(x)
    if ord == math.inf:
        return a.max(axis=axes, keepdims=keepdim)
    if ord == -math.inf:
        return a.min(axis=axes, keepdims=keepdim)
    if ord == 0:
        return (a != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
    return (a ** ord).sum(axis=axes, keepdims=keepdim) ** (1 / ord)


def t_vnorm(torch, x, **kw):
    return torch.linalg.vector_norm(x, **kw)


for ord_, tag in [(2, "l2"), (1, "l1"), (math.inf, "inf"), (-math.inf, "neg-inf"), (3, "p3"),
                  (1.5, "p1.5"), (0.5, "p0.5"), (-1, "p-1")]:
    case("vector_norm", v, ord=ord_, dim=1, ref=vnorm_ref, torch_fn=t_vnorm, id=tag)
case("vector_norm", v, ord=0, dim=(0, 1), ref=vnorm_ref, torch_fn=t_vnorm, id="l0")
case("vector_norm", r(2, 3, 2), dim=(0, -1), keepdim=True, ref=vnorm_ref, torch_fn=t_vnorm,
     id="dims-keepdim")
case("vector_norm", v, ref=vnorm_ref, torch_fn=t_vnorm, id="all")
case("vector_norm", np.zeros((0, 3)), dim=0, ref=vnorm_ref, torch_fn=t_vnorm, id="empty")
case("vector_norm", v.astype(np.float32), dtype=np.dtype("float64"),
     ref=lambda x, dtype: vnorm_ref(x.astype(dtype)),
     torch_fn=lambda torch, x, dtype: torch.linalg.vector_norm(x, dtype=torch.float64),
     grad=False, id="dtype")
m = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -4.0]])  # no tied row or column sums


def mnorm_ref(a, ord="fro", dim=(-2, -1), keepdim=False):  # noqa: A002
    if ord == "fro":
        out = np.sqrt((a * a).sum(axis=dim, keepdims=True))
    else:
        inner, outer = (dim[0], dim[1]) if abs(ord) == 1 else (dim[1], dim[0])
        sums = np.abs(a).sum(axis=inner, keepdims=True)
        out = (sums.max if ord > 0 else sums.min)(axis=outer, keepdims=True)
    return out if keepdim else np.squeeze(out, axis=tuple(d % a.ndim for d in dim))


for ord_, tag in [("fro", "fro"), (1, "1"), (-1, "-1"), (math.inf, "inf"), (-math.inf, "-inf")]:
    case("matrix_norm", m, ord=ord_, ref=mnorm_ref,
         torch_fn=lambda torch, a, **kw: torch.linalg.matrix_norm(a, **kw), id=tag)
case("matrix_norm", r(2, 3, 2) + 2.0, ord=1, dim=(2, 0), keepdim=True, ref=mnorm_ref,
     torch_fn=lambda torch, a, **kw: torch.linalg.matrix_norm(a, **kw), id="dims-keepdim")


def t_linalg_norm(torch, a, **kw):
    return torch.linalg.norm(a, **kw)


case("linalg_norm", r(2, 3, 2), ref=lambda a: np.sqrt((a * a).sum()), torch_fn=t_linalg_norm,
     id="default-flat")
case("linalg_norm", m, ord=math.inf, ref=lambda a, ord: mnorm_ref(a, ord),  # noqa: A006
     torch_fn=t_linalg_norm, id="matrix-inf")
case("linalg_norm", v, ord=1, dim=-1, ref=lambda a, ord, dim: vnorm_ref(a, 1, dim),  # noqa: A006
     torch_fn=t_linalg_norm, id="vector-dim")
case("linalg_norm", r(3), ord=3, keepdim=True,
     ref=lambda a, ord, keepdim: vnorm_ref(a, 3, keepdim=True),  # noqa: A006
     torch_fn=t_linalg_norm, id="1d-ord")
case("linalg_norm", r(2, 3, 2), dim=(0, 2), ref=lambda a, dim: mnorm_ref(a, "fro", dim),
     torch_fn=t_linalg_norm, id="two-dims-fro")
case("norm", r(2, 3, 4), ref=lambda a: np.sqrt((a * a).sum()), torch_fn=_t("norm"),
     id="default")
case("norm", v, 1, 1, True, ref=lambda a, p, d, k: vnorm_ref(a, p, d, k), torch_fn=_t("norm"),
     id="p-dim-keepdim")
case("norm", r(2, 3, 4), "fro", (0, 2), ref=lambda a, p, d: vnorm_ref(a, 2, d),
     torch_fn=_t("norm"), id="fro-dims")
case("norm", r(2, 3, 4), 3, (0, 2), ref=lambda a, p, d: vnorm_ref(a, 3, d), torch_fn=_t("norm"),
     id="p-two-dims")

# --- multinomial -------------------------------------------------------------------------------


def multinomial_ref(p, num_samples, replacement=False, seed=None, generator=None):
    rows = p.reshape(-1, p.shape[-1]).astype(np.float64)
    gen = np.random.default_rng(seed)
    out = np.empty((rows.shape[0], num_samples), np.int64)
    if replacement:
        u = gen.random(out.shape)
        for i, row in enumerate(rows):
            cdf = np.cumsum(row)
            out[i] = np.searchsorted(cdf / cdf[-1], u[i], side="right")
    else:
        keys = rows / gen.exponential(size=rows.shape)
        for i, row in enumerate(keys):
            out[i] = sorted(range(len(row)), key=lambda j, k=row: (-k[j], j))[:num_samples]
    return out.reshape(p.shape[:-1] + (num_samples,))


probs = np.array([[0.1, 0.0, 0.6, 0.3], [1.0, 2.0, 0.0, 1.0], [0.0, 0.0, 5.0, 0.0]])
case("multinomial", probs, 6, replacement=True, seed=3, ref=multinomial_ref, grad=False,
     id="replacement")
case("multinomial", probs, 4, seed=5, ref=multinomial_ref, grad=False,
     id="without-zero-probs-last")
case("multinomial", np.array([0.2, 0.3, 0.5], np.float32), 2, seed=7, ref=multinomial_ref,
     grad=False, id="1d-f32")
case("multinomial", np.zeros((0, 3)), 2, seed=1, ref=multinomial_ref, grad=False, id="no-rows")
case("multinomial_sample", probs, np.array(11), num_samples=3, replacement=True,
     ref=lambda p, s, num_samples, replacement: multinomial_ref(p, num_samples, True, int(s)),
     grad=False)


# --- rounding (rounding.py): away from the jumps, the gradient is zero -------------------------
_frac_data = np.array([[-2.7, -1.2, -0.4, 0.3], [0.6, 1.4, 2.2, 3.8]])
for name, npf in [("floor", np.floor), ("ceil", np.ceil), ("trunc", np.trunc),
                  ("round", np.round)]:
    case(name, _frac_data, ref=npf, torch_fn=_t(name), id="float")
    case(name, i34, ref=lambda a: a, torch_fn=_t(name), grad=False, id="int-unchanged")
case("round", np.array([0.5, 1.5, 2.5, -0.5, 0.125, 12.34]), ref=np.round,
     torch_fn=_t("round"), grad=False, id="half-to-even")
case("round", np.array([1.23, -4.56, 0.051, 7.0]), ref=lambda a, decimals: np.round(a, decimals),
     torch_fn=_t("round"), decimals=1, id="decimals")
case("round", np.array([15.0, 25.0, -35.0, 149.0]),
     ref=lambda a, decimals: np.round(a, decimals), torch_fn=_t("round"), decimals=-1, grad=False,
     id="negative-decimals")
