"""Op cases of the complex ops (`shared_ops/ops/complex_ops.py`, `fft_ops.py`,
`complex_eig.py`), walked by ``test_registry_walk.py``. Ops on real values (``angle``,
``real``, ``conj``, ``complex_abs``, ``complex_sgn`` of reals, ``fft_resize``) take the whole
walk, gradients and torch included; the others make or take complex values, which the walk's
real cotangents and static graphs do not handle (`walk_support.stages`): their kernels are
checked against NumPy here and their values and gradients against torch in
tests/eager/complex/."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(1616)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def c(*shape):
    return r(*shape) + 1j * r(*shape)


# --- on real values: the whole walk ------------------------------------------------------------
case("angle", r(3, 4), ref=np.angle, torch_fn=lambda torch, x: torch.angle(x), id="real")
case("real", r(2, 3), ref=np.real, torch_fn=lambda torch, x: torch.real(x), id="of-real")
case("conj", r(3), ref=np.conjugate, torch_fn=lambda torch, x: torch.conj(x), id="of-real")
case("complex_abs", r(2, 3), ref=np.abs, torch_fn=lambda torch, x: torch.abs(x), id="of-real")
# (torch's gradient of sgn is a ZeroTensor, which has no NumPy view: no torch_fn)
case("complex_sgn", r(4), ref=np.sign, id="of-real")
case("fft_resize", r(3, 5), ref=lambda x, dims, sizes: x[:, :3], dims=(1,), sizes=(3,),
     id="trim")
case("fft_resize", r(2, 3), ref=lambda x, dims, sizes: np.pad(x, ((0, 0), (0, 2))),
     dims=(1,), sizes=(5,), id="pad")


# --- making or taking complex values: kernels against NumPy ------------------------------------
def complex_case(op, *args, ref, id="", **attrs):
    case(op, *args, ref=ref, grad=False, id=id, **attrs)


complex_case("conj", c(2, 3), ref=np.conjugate)
complex_case("real", c(3), ref=np.real)
complex_case("imag", c(2, 2), ref=np.imag)
complex_case("complex", r(2, 3), r(3), ref=lambda a, b: a + 1j * b, id="broadcast")
complex_case("polar", r(2, 3), r(2, 3), ref=lambda a, t: a * np.exp(1j * t))
complex_case("complex_abs", c(3, 2), ref=np.abs)
complex_case("complex_sgn", np.array([3 + 4j, 0j, -1j]), ref=lambda z: np.where(
    z == 0, 0, z / np.where(z == 0, 1, np.abs(z))))
complex_case("angle", c(4), ref=np.angle)
complex_case("view_as_real", c(2, 3), ref=lambda z: np.stack([z.real, z.imag], -1))
complex_case("view_as_complex", r(3, 2), ref=lambda x: x[..., 0] + 1j * x[..., 1])
complex_case("fft_c2c", c(2, 5), ref=lambda z, **a: np.fft.fft(z, norm="ortho"), dims=(1,),
             norm_mode="by_root_n", forward=True)
complex_case("fft_c2c", c(3, 4), ref=lambda z, **a: np.fft.ifftn(z), dims=(0, 1),
             norm_mode="by_n", forward=False, id="inverse-2d")
complex_case("fft_r2c", r(6), ref=lambda x, **a: np.fft.rfft(x), dims=(0,), norm_mode="none",
             onesided=True)
complex_case("fft_r2c", r(2, 5), ref=lambda x, **a: np.fft.fft(x, norm="forward"), dims=(1,),
             norm_mode="by_n", onesided=False, id="two-sided")
complex_case("fft_c2r", c(4), ref=lambda z, **a: np.fft.irfft(z, 7), dims=(0,),
             norm_mode="by_n", last_dim_size=7, id="odd")
complex_case("fft_c2r", c(2, 3, 3), ref=lambda z, **a: np.fft.irfftn(z, (3, 4), (1, 2)),
             dims=(1, 2), norm_mode="by_n", last_dim_size=4, id="2d-even")
complex_case("fft_resize", c(4), ref=lambda z, **a: np.pad(z, (0, 2)), dims=(0,), sizes=(6,),
             id="complex")
complex_case("linalg_eig_values", np.array([[2.0, 1.0], [0.0, 3.0]]),
             ref=lambda a: np.array([2.0 + 0j, 3.0 + 0j]))
complex_case("linalg_eig_vectors", np.array([[2.0, 0.0], [0.0, 3.0]]),
             ref=lambda a: np.eye(2, dtype=complex))
