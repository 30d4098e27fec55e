"""The discrete Fourier transforms, as PyTorch's ATen primitives: complex to complex
(``fft_c2c``), real to complex (``fft_r2c``, one-sided or full), complex to real (``fft_c2r``),
and the zero padding or trimming of the signal sizes before them (``fft_resize``).

Each transform is the unnormalized DFT over ``dims`` times a scale, ``norm_mode`` as ATen's:
``"none"``, ``"by_n"`` (``1/n``) or ``"by_root_n"`` (``1/sqrt(n)``), ``n`` the product of
the signal sizes. The gradient rules are ATen's, in PyTorch's complex convention
(`shared_ops.complex_support`): c2c's is the transform the other way at the same scale; r2c's
pads a one-sided gradient with zeros to the full length, transforms it back and keeps the
real part; c2r's transforms the gradient real to complex and doubles the bins that stand for
two (all but the zero frequency and, for an even length, the last). Kernels are NumPy's
pocketfft, in the input's precision.

    >>> import numpy as np
    >>> fft_r2c(np.float32([1.0, 2.0, 3.0]), dims=(0,), norm_mode="none", onesided=True)
    array([ 6. +0.j       , -1.5+0.8660254j], dtype=complex64)
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..complex_support import complex_native
from ..registry import primitive
from .complex_ops import real
from .elementwise import mul

__all__ = ["fft_c2c", "fft_r2c", "fft_c2r", "fft_resize", "NORM_MODES"]

NORM_MODES = ("none", "by_n", "by_root_n")


def _scale(norm_mode: str, sizes) -> float:
    n = math.prod(sizes)
    return 1.0 if norm_mode == "none" else 1.0 / n if norm_mode == "by_n" else 1.0 / math.sqrt(n)


def _scaled(out: np.ndarray, norm_mode: str, sizes, dtype: np.dtype) -> np.ndarray:
    out = out.astype(dtype, copy=False)
    if norm_mode != "none":  # in the value's own precision, as pocketfft's factor
        out *= dtype.type(_scale(norm_mode, sizes))
    return out


# --- fft_c2c -----------------------------------------------------------------------------------
def _c2c_kernel(x, dims, norm_mode, forward):
    transform = np.fft.fftn if forward else np.fft.ifftn
    # norm="backward" on fftn and "forward" on ifftn: both unnormalized
    out = transform(x, axes=dims, norm="backward" if forward else "forward")
    return _scaled(out, norm_mode, [x.shape[d] for d in dims], x.dtype)


def _c2c_aval(x: Aval, dims, norm_mode, forward) -> Aval:
    return x


def _c2c_vjp(g, inputs, out, dims, norm_mode, forward):
    return (fft_c2c(g, dims=dims, norm_mode=norm_mode, forward=not forward),)


fft_c2c = primitive("fft_c2c", _c2c_kernel, _c2c_aval, _c2c_vjp, fresh=True,
                    torch_name="FftC2CBackward0",
                    doc="The DFT (or its inverse) of a complex value over ``dims``, scaled.")


# --- fft_r2c -----------------------------------------------------------------------------------
def _r2c_kernel(x, dims, norm_mode, onesided):
    out = np.fft.rfftn(x, axes=dims) if onesided else np.fft.fftn(x, axes=dims)
    return _scaled(out, norm_mode, [x.shape[d] for d in dims], dt.complex_of(x.dtype))


def _r2c_aval(x: Aval, dims, norm_mode, onesided) -> Aval:
    shape = list(x.shape)
    if onesided and shape[dims[-1]] is not None:
        shape[dims[-1]] = shape[dims[-1]] // 2 + 1
    return Aval(tuple(shape), dt.complex_of(x.dtype))


def _r2c_vjp(g, inputs, out, dims, norm_mode, onesided):
    (x,) = inputs
    if onesided:  # zeros for the bins the one-sided output left out (ATen's rule)
        g = fft_resize(g, dims=(dims[-1],), sizes=(x.shape[dims[-1]],))
    return (real(fft_c2c(g, dims=dims, norm_mode=norm_mode, forward=False)),)


fft_r2c = primitive("fft_r2c", _r2c_kernel, _r2c_aval, _r2c_vjp, fresh=True,
                    torch_name="FftR2CBackward0",
                    doc="The DFT of a real value over ``dims``; one-sided: the last dim's "
                        "non-negative frequencies only.")


# --- fft_c2r -----------------------------------------------------------------------------------
def _c2r_kernel(x, dims, norm_mode, last_dim_size):
    sizes = [x.shape[d] for d in dims[:-1]] + [last_dim_size]
    out = np.fft.irfftn(x, s=sizes, axes=dims, norm="forward")  # unnormalized
    return _scaled(out, norm_mode, sizes, dt.real_part(x.dtype))


def _c2r_aval(x: Aval, dims, norm_mode, last_dim_size) -> Aval:
    shape = list(x.shape)
    shape[dims[-1]] = last_dim_size
    return Aval(tuple(shape), dt.real_part(x.dtype))


def _c2r_vjp(g, inputs, out, dims, norm_mode, last_dim_size):
    (x,) = inputs
    gi = fft_r2c(g, dims=dims, norm_mode=norm_mode, onesided=True)
    half = last_dim_size // 2 + 1
    doubled = last_dim_size - half  # the bins that stand for two (ATen's rule)
    if doubled > 0:
        weights = np.ones(half, dt.real_part(x.dtype))
        weights[1:1 + doubled] = 2
        gi = mul(gi, weights.reshape((half,) + (1,) * (len(x.shape) - 1 - dims[-1])))
    return (gi,)


fft_c2r = primitive("fft_c2r", _c2r_kernel, _c2r_aval, _c2r_vjp, fresh=True,
                    torch_name="FftC2RBackward0",
                    doc="The inverse DFT of a one-sided (Hermitian) spectrum: a real value "
                        "whose last transformed dim has ``last_dim_size`` samples.")


# --- fft_resize --------------------------------------------------------------------------------
def _resize_kernel(x, dims, sizes):
    index = [slice(None)] * x.ndim
    widths = [(0, 0)] * x.ndim
    for d, n in zip(dims, sizes, strict=True):
        index[d] = slice(0, n)
        widths[d] = (0, max(n - x.shape[d], 0))
    return np.pad(x[tuple(index)], widths)


def _resize_aval(x: Aval, dims, sizes) -> Aval:
    shape = list(x.shape)
    for d, n in zip(dims, sizes, strict=True):
        shape[d] = n
    return Aval(tuple(shape), x.dtype)


def _resize_vjp(g, inputs, out, dims, sizes):
    (x,) = inputs
    return (fft_resize(g, dims=dims, sizes=tuple(x.shape[d] for d in dims)),)


fft_resize = primitive("fft_resize", _resize_kernel, _resize_aval, _resize_vjp, fresh=True,
                       torch_name="ConstantPadNdBackward0",
                       doc="Each dim of ``dims`` trimmed or zero-padded (at the end) to its "
                           "size in ``sizes``: the ``n=``/``s=`` of the FFTs.")

complex_native("fft_c2c", "fft_r2c", "fft_c2r", "fft_resize")
