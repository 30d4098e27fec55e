"""Complex numbers: building them (``complex``, ``polar``), taking them apart (``real``,
``imag``, ``complex_abs``, ``angle``), ``conj`` and the views between a complex tensor and its
real pairs (``view_as_real``, ``view_as_complex``), as PyTorch's.

Every rule here is written for complex values in PyTorch's convention (the gradient of a real
loss by ``z = x + iy`` is ``dL/dx + i dL/dy``: `shared_ops.complex_support`), so each op is
declared complex-native. ``real`` and ``imag`` are views, as PyTorch's: writes through
``z.real`` reach ``z``.

    >>> import numpy as np
    >>> complex_op(np.float32([1.0]), np.float32([2.0]))
    array([1.+2.j], dtype=complex64)
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, broadcast_shapes
from ..complex_support import complex_native, complex_variant, torch_dtype_name
from ..registry import composite, primitive
from .elementwise import cast, div, mul, unbroadcast
from .elementwise_logic import eq, where
from .norms import vector_norm

__all__ = ["conj", "real", "imag", "complex_op", "complex_abs", "complex_sgn", "angle",
           "view_as_real", "view_as_complex", "polar"]


def _same(x: Aval, **_) -> Aval:
    return x


def _real_aval(x: Aval, **_) -> Aval:
    return Aval(x.shape, dt.real_part(x.dtype))


# --- conj: primitive ---------------------------------------------------------------------------
def _conj_vjp(g, inputs, out):
    return (conj(g),)


def _conj_kernel(x):
    # not the ufunc itself: no out form (a compiled step never sees complex values)
    return np.conjugate(x)


conj = primitive("conj", _conj_kernel, _same, _conj_vjp, elementwise=True, fresh=True,
                 torch_name="ConjBackward0",
                 doc="The complex conjugate (a real value is its own conjugate).")


# --- real, imag: views -------------------------------------------------------------------------
def _real_kernel(x):
    return np.real(x)


def _real_vjp(g, inputs, out):
    (x,) = inputs
    return (cast(g, dtype=x.dtype),)


real = primitive("real", _real_kernel, _real_aval, _real_vjp, view=True, fresh=False,
                 torch_name="SelectBackward0",  # torch selects from view_as_real
                 doc="The real part, a view (as torch.real).")


def _imag_kernel(x):
    if x.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return np.imag(x)


def _imag_vjp(g, inputs, out):
    # L = Im(z): dL/dx + i dL/dy = i g
    return (complex_op(mul(g, 0.0), g),)


def _imag_aval(x: Aval, **_) -> Aval:
    if x.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _real_aval(x)


imag = primitive("imag", _imag_kernel, _imag_aval, _imag_vjp, view=True, fresh=False,
                 torch_name="SelectBackward0",
                 doc="The imaginary part, a view (as torch.imag).")


# --- complex(real, imag): primitive ------------------------------------------------------------
def _check_parts(re: Aval, im: Aval) -> None:
    kinds = {re.dtype.kind, im.dtype.kind}
    if kinds != {"f"}:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{torch_dtype_name(re.dtype)} and {torch_dtype_name(im.dtype)}")
    if re.dtype != im.dtype:
        raise RuntimeError(f"Expected object of scalar type {torch_dtype_name(re.dtype)} but "
                           f"got scalar type {torch_dtype_name(im.dtype)} for second argument")


def _complex_kernel(re, im):
    _check_parts(Aval(re.shape, re.dtype), Aval(im.shape, im.dtype))
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), dt.complex_of(re.dtype))
    out.real, out.imag = re, im
    return out


def _complex_aval(re: Aval, im: Aval, **_) -> Aval:
    _check_parts(re, im)
    return Aval(broadcast_shapes("complex", re.shape, im.shape), dt.complex_of(re.dtype))


def _complex_vjp(g, inputs, out):
    re, im = inputs
    return unbroadcast(real(g), re, inputs), unbroadcast(imag(g), im, inputs)


complex_op = primitive("complex", _complex_kernel, _complex_aval, _complex_vjp, fresh=True,
                       torch_name="ComplexBackward0",
                       doc="``real + i imag`` from two floating tensors of one dtype.")


# --- abs of a complex value: primitive ---------------------------------------------------------
def _sgn(z):
    """z / |z|, 0 where z is 0 (PyTorch's ``sgn``)."""
    magnitude = complex_abs(z)
    zero = eq(magnitude, 0.0)
    return where(zero, 0.0, div(z, cast(where(zero, 1.0, magnitude), dtype=z.dtype)))


def _complex_abs_vjp(g, inputs, out):
    (z,) = inputs
    return (mul(cast(g, dtype=z.dtype), complex_sgn(z)),)


def _complex_abs_kernel(z):
    return np.abs(z)  # (not the ufunc itself, as conj's)


complex_abs = primitive("complex_abs", _complex_abs_kernel, _real_aval, _complex_abs_vjp,
                        fresh=True,
                        torch_name="AbsBackward0", doc="|z| of a complex z (a real result).")


# --- angle: primitive --------------------------------------------------------------------------
def _angle_kernel(x):
    if x.dtype.kind in "biu":
        x = x.astype(dt.default_float())
    return np.angle(x).astype(dt.real_part(x.dtype), copy=False)


def _angle_aval(x: Aval, **_) -> Aval:
    return Aval(x.shape, dt.real_part(x.dtype) if x.dtype.kind in "fc" else dt.default_float())


def _angle_vjp(g, inputs, out):
    (z,) = inputs
    if z.dtype.kind != "c":  # a real number's angle is 0 or pi: no gradient
        return (mul(g, 0.0),)
    # d angle: (-y + i x) / |z|^2 = i z / |z|^2 (0 at z = 0), as torch's angle_backward
    magnitude = complex_abs(z)
    zero = eq(magnitude, 0.0)
    squared = cast(where(zero, 1.0, mul(magnitude, magnitude)), dtype=z.dtype)
    return (where(zero, 0.0, mul(cast(g, dtype=z.dtype), div(mul(z, 1j), squared))),)


angle = primitive("angle", _angle_kernel, _angle_aval, _angle_vjp, fresh=True,
                  torch_name="AngleBackward0", doc="The argument of z, in (-pi, pi].")


# --- view_as_real / view_as_complex: views -----------------------------------------------------
def _view_as_real_aval(x: Aval, **_) -> Aval:
    if x.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return Aval((*x.shape, 2), dt.real_part(x.dtype))


def _view_as_real_kernel(z):
    _view_as_real_aval(Aval(z.shape, z.dtype))
    if z.ndim == 0:
        return z.reshape(1).view(dt.real_part(z.dtype))
    return z[..., None].view(dt.real_part(z.dtype))


def _view_as_real_vjp(g, inputs, out):
    # a gradient may be any strided value (an expanded one): its pairs copied together first
    return (view_as_complex(g, pack=True),)


view_as_real = primitive("view_as_real", _view_as_real_kernel, _view_as_real_aval,
                         _view_as_real_vjp, view=True, fresh=False,
                         torch_name="ViewAsRealBackward0",
                         doc="A complex tensor's (real, imag) pairs as a last dim of 2, a view.")


def _view_as_complex_aval(x: Aval, pack=False) -> Aval:
    if x.dtype.kind != "f":
        raise RuntimeError(f"view_as_complex is only supported for half, float and double "
                           f"tensors, but got a tensor of scalar type: "
                           f"{torch_dtype_name(x.dtype)}")
    if x.dtype == dt.float16:
        raise NotImplementedError("view_as_complex: complex32 (ComplexHalf) is not supported "
                                  "here; use float32 pairs")
    if not x.shape or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    return Aval(x.shape[:-1], dt.complex_of(x.dtype))


def check_complex_view(x: np.ndarray) -> None:
    """PyTorch's stride checks of ``view_as_complex`` (its pairs must be adjacent)."""
    if x.strides[-1] != x.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * x.itemsize) for s, n in zip(x.strides[:-1], x.shape[:-1], strict=True)
           if n > 1):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last "
                           "dimension")


def _view_as_complex_kernel(x, pack=False):
    _view_as_complex_aval(Aval(x.shape, x.dtype))
    if pack:
        x = np.ascontiguousarray(x)
    check_complex_view(x)
    if any(s % (2 * x.itemsize) for s in x.strides[:-1]) or x.ctypes.data % (2 * x.itemsize):
        # NumPy will not view it (a size-1 dim's stride, an offset): a contiguous copy
        x = np.ascontiguousarray(x)
    return x.view(dt.complex_of(x.dtype))[..., 0]


def _view_as_complex_vjp(g, inputs, out, pack=False):
    return (view_as_real(g),)


view_as_complex = primitive("view_as_complex", _view_as_complex_kernel, _view_as_complex_aval,
                            _view_as_complex_vjp, view=True, fresh=False,
                            torch_name="ViewAsComplexBackward0",
                            doc="Pairs along a last dim of 2 as one complex tensor, a view.")

complex_sgn = composite(_sgn, name="complex_sgn", torch_name="SgnBackward0")


def _complex_vector_norm(z, **attrs):
    """A norm of complex values is the norm of their magnitudes."""
    return vector_norm(complex_abs(z), **attrs)


complex_native("conj", "real", "imag", "complex", "complex_abs", "angle", "view_as_real",
               "view_as_complex")
complex_variant("abs", "complex_abs")
complex_variant("vector_norm", _complex_vector_norm)


# --- polar: primitive --------------------------------------------------------------------------
def _polar_kernel(abs, angle):  # noqa: A002  (PyTorch's names)
    _check_parts(Aval(abs.shape, abs.dtype), Aval(angle.shape, angle.dtype))
    return _complex_kernel(abs * np.cos(angle), abs * np.sin(angle))


def _polar_vjp(g, inputs, out):
    # torch's polar_backward, which takes abs >= 0 (its sgn(result)): matched as it is
    r, theta = inputs
    g_conj = conj(g)
    return (unbroadcast(real(mul(g_conj, complex_sgn(out))), r, inputs),
            unbroadcast(real(mul(g_conj, mul(out, 1j))), theta, inputs))


polar = primitive("polar", _polar_kernel, _complex_aval, _polar_vjp, fresh=True,
                  torch_name="PolarBackward0",
                  doc="``abs * (cos(angle) + i sin(angle))``, as torch.polar.")
complex_native("polar")

