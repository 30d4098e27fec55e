"""``torch.fft``: discrete Fourier transforms with PyTorch's signatures, dtypes, errors and
gradients.

Each function is ATen's composition of a few primitives (`shared_ops.ops.fft_ops`): the
signal resized to ``n``/``s`` (zero padding or trimming), then ``fft_c2c``, ``fft_r2c`` or
``fft_c2r`` at the scale ``norm`` asks for ("backward": none forward, ``1/n`` back;
"forward": the reverse; "ortho": ``1/sqrt(n)`` both ways), conjugates where ATen takes them
(``ifft`` of a real input, ``hfft``, ``ihfft``). Float32 in, complex64 out; integers are
promoted to the default float. Gradients are ATen's rules, so they equal torch's, the
Hermitian halves of ``rfft``/``irfft`` included. Eager only: static graphs do not compute
with complex values.

    >>> import eager
    >>> eager.fft.rfft(eager.tensor([1.0, 2.0, 3.0, 4.0]))
    tensor([10.+0.j, -2.+2.j, -2.+0.j])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops
from shared_ops import dtypes as dt
from shared_ops.complex_support import torch_dtype_name
from shared_ops.tensor_api import METHODS

from ..tensor_base import TensorBase, check_dtype, wrap_array
from .arguments import check_points, checked_input, n_dims, norm_mode, one_dim, resized

# Each function declares ``out`` where torch's signature has it; the wrapper added at the end
# of this module (eager/out_argument.py) takes every ``out=`` before the function runs.

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "hfft2", "ihfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift"]

Tensor = TensorBase


# --- complex to complex ------------------------------------------------------------------------
def _c2c(fn: str, input, dims, sizes, norm, forward: bool):  # noqa: A002
    if not dims:  # nothing to transform (a 0-d input): the value, complex
        return checked_input(fn, input, to_complex=True)
    x = checked_input(fn, input)
    x = resized(x, dims, sizes)
    mode = norm_mode(norm, forward)
    if x._data.dtype.kind != "c":  # a real signal: ATen's r2c, conjugated for the inverse
        y = shared_ops.fft_r2c(x, dims=tuple(dims), norm_mode=mode, onesided=False)
        return y if forward else shared_ops.conj(y)
    return shared_ops.fft_c2c(x, dims=tuple(dims), norm_mode=mode, forward=forward)


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
        out: Any = None) -> Tensor:  # noqa: A002
    """The one-dimensional DFT along ``dim`` (``n``: pad or trim the signal first)."""
    d, n = one_dim(checked_input("fft", input), n, dim)
    return _c2c("fft", input, (d,), (n,), norm, True)


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
         out: Any = None) -> Tensor:  # noqa: A002
    """The one-dimensional inverse DFT along ``dim``."""
    d, n = one_dim(checked_input("ifft", input), n, dim)
    return _c2c("ifft", input, (d,), (n,), norm, False)


def _c2c_n(fn: str, forward: bool):
    def transform(input: Tensor, s=None, dim=None, norm: str | None = None, *,  # noqa: A002
                  out: Any = None) -> Tensor:
        x = checked_input(fn, input)
        dims, sizes = n_dims(x, s, dim)
        if not dims:
            return checked_input(fn, x, to_complex=True)
        # ATen's fftn makes a real input complex first (its grad_fn is FftC2CBackward0)
        x = resized(checked_input(fn, x, to_complex=True), dims, sizes)
        return shared_ops.fft_c2c(x, dims=dims, norm_mode=norm_mode(norm, forward),
                                  forward=forward)
    transform.__name__ = transform.__qualname__ = fn
    return transform


fftn = _c2c_n("fftn", True)
ifftn = _c2c_n("ifftn", False)
fftn.__doc__ = "The n-dimensional DFT over ``dim`` (default: all dims, or the last len(s))."
ifftn.__doc__ = "The n-dimensional inverse DFT over ``dim``."




# --- real to complex ---------------------------------------------------------------------------
def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
         out: Any = None) -> Tensor:  # noqa: A002
    """The DFT of a real signal: the ``n // 2 + 1`` non-negative frequencies."""
    x = checked_input("rfft", input, real="rfft expects a real")
    d, n = one_dim(x, n, dim)
    return shared_ops.fft_r2c(resized(x, (d,), (n,)), dims=(d,),
                              norm_mode=norm_mode(norm, True), onesided=True)


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
          out: Any = None) -> Tensor:  # noqa: A002
    """The inverse of `hfft`: the one-sided inverse DFT of a real signal."""
    x = checked_input("ihfft", input, real="ihfft expects a real")
    d, n = one_dim(x, n, dim)
    y = shared_ops.fft_r2c(resized(x, (d,), (n,)), dims=(d,),
                           norm_mode=norm_mode(norm, False), onesided=True)
    return shared_ops.conj(y)


def rfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *,
          out: Any = None) -> Tensor:  # noqa: A002
    """The n-dimensional DFT of a real signal, one-sided along the last of ``dim``."""
    x = checked_input("rfftn", input, real="rfftn expects a real-valued")
    dims, sizes = n_dims(x, s, dim)
    if not dims:
        raise RuntimeError("rfftn must transform at least one axis")
    return shared_ops.fft_r2c(resized(x, dims, sizes), dims=dims,
                              norm_mode=norm_mode(norm, True), onesided=True)



# --- complex to real ---------------------------------------------------------------------------
def _c2r(fn: str, input, dims, sizes, last_dim_size: int, norm, forward: bool,  # noqa: A002
         conj: bool = False):
    x = checked_input(fn, input, to_complex=True)
    sizes = (*sizes[:-1], last_dim_size // 2 + 1)
    x = resized(x, dims, sizes)
    if conj:
        x = shared_ops.conj(x)
    return shared_ops.fft_c2r(x, dims=tuple(dims), norm_mode=norm_mode(norm, forward),
                              last_dim_size=last_dim_size)


def _last_size(x, d: int, n: int | None) -> int:
    return check_points(2 * (x._data.shape[d] - 1) if n is None else n)


def _c2r_one_dim(fn: str, input, n, dim, norm, hermitian: bool):  # noqa: A002
    x = checked_input(fn, input)
    d, _ = one_dim(x, None, dim)
    n = _last_size(x, d, n)
    # hfft: the conjugate's inverse transform scaled as a forward one (ATen's)
    return _c2r(fn, x, (d,), (n,), n, norm, hermitian, conj=hermitian)


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
          out: Any = None) -> Tensor:  # noqa: A002
    """The inverse of `rfft`: a real signal of ``n`` samples (default ``2 * (m - 1)``)."""
    return _c2r_one_dim("irfft", input, n, dim, norm, hermitian=False)


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *,
         out: Any = None) -> Tensor:  # noqa: A002
    """The DFT of a Hermitian-symmetric signal given by its one-sided half: a real result."""
    return _c2r_one_dim("hfft", input, n, dim, norm, hermitian=True)


def _c2r_dims(fn: str, x, s, dim):
    """ATen's ``canonicalize_fft_c2r_shape_and_dim_args``: dims, sizes and the last dim's
    output length (``s[-1]``, default ``2 * (m - 1)``)."""
    dims, sizes = n_dims(x, s, dim)
    if not dims:
        raise RuntimeError(f"{fn} must transform at least one axis")
    given = s is not None and not isinstance(s, int) and list(s)[-1] != -1 or isinstance(s, int)
    return dims, sizes, _last_size(x, dims[-1], sizes[-1] if given else None)


def irfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *,
           out: Any = None) -> Tensor:  # noqa: A002
    """The inverse of `rfftn` (the last of ``dim`` gets ``s[-1]``, default ``2 * (m - 1)``)."""
    x = checked_input("irfftn", input)
    dims, sizes, last = _c2r_dims("irfftn", x, s, dim)
    return _c2r("irfftn", x, dims, sizes, last, norm, False)


def hfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *,
          out: Any = None) -> Tensor:  # noqa: A002
    """The n-dimensional `hfft`: forward transforms over all but the last of ``dim``, then
    the Hermitian one (a real result)."""
    x = checked_input("hfftn", input, to_complex=True)
    dims, sizes, last = _c2r_dims("hfftn", x, s, dim)
    x = resized(x, dims, (*sizes[:-1], last // 2 + 1))
    mode = norm_mode(norm, True)
    if len(dims) > 1:
        x = shared_ops.fft_c2c(x, dims=dims[:-1], norm_mode=mode, forward=True)
    return shared_ops.fft_c2r(shared_ops.conj(x), dims=dims[-1:], norm_mode=mode,
                              last_dim_size=last)


def ihfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *,
           out: Any = None) -> Tensor:  # noqa: A002
    """The inverse of `hfftn`: a one-sided inverse transform of a real signal along the last
    of ``dim``, then inverse transforms over the others."""
    x = checked_input("ihfftn", input)
    if x.is_complex():  # ATen's words here
        raise RuntimeError(f"Only supports floating-point dtypes, but found: "
                           f"{torch_dtype_name(x._data.dtype)}")
    dims, sizes = n_dims(x, s, dim)
    if not dims:
        raise RuntimeError("ihfftn must transform at least one axis")
    mode = norm_mode(norm, False)
    y = shared_ops.conj(shared_ops.fft_r2c(resized(x, dims, sizes), dims=dims[-1:],
                                           norm_mode=mode, onesided=True))
    if len(dims) == 1:
        return y
    return shared_ops.fft_c2c(y, dims=dims[:-1], norm_mode=mode, forward=False)





# --- the two-dimensional forms ----------------------------------------------------------------
def _two_dim(transform, name: str, doc: str):
    """``transform`` over ``dim=(-2, -1)`` by default: torch's ``*2`` functions."""
    def two_dim(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *,  # noqa: A002
                out: Any = None) -> Tensor:
        return transform(input, s, dim, norm)
    two_dim.__name__ = two_dim.__qualname__ = name
    two_dim.__doc__ = doc
    return two_dim


fft2 = _two_dim(fftn, "fft2", "The two-dimensional DFT over ``dim`` (the last two dims).")
ifft2 = _two_dim(ifftn, "ifft2", "The two-dimensional inverse DFT over ``dim``.")
rfft2 = _two_dim(rfftn, "rfft2", "The two-dimensional DFT of a real signal over ``dim``.")
irfft2 = _two_dim(irfftn, "irfft2", "The inverse of `rfft2`.")
hfft2 = _two_dim(hfftn, "hfft2", "The two-dimensional `hfftn` over ``dim``.")
ihfft2 = _two_dim(ihfftn, "ihfft2", "The two-dimensional `ihfftn` over ``dim``.")


# --- frequencies and shifts --------------------------------------------------------------------
def _frequencies(fn: str, values: np.ndarray, n: int, d: float, dtype, requires_grad: bool):
    dtype = dt.default_float() if dtype is None else check_dtype(dtype)
    array = values.astype(dtype)
    # as ATen: the integers times 1 / (n d), the factor in the result's precision
    array *= array.dtype.type(1.0 / (n * d))
    t = wrap_array(array)
    if requires_grad:
        t.requires_grad = True
    return t


def fftfreq(n: int, d: float = 1.0, *, out: Any = None, dtype=None, layout=None,
            device=None, requires_grad: bool = False) -> Tensor:
    """The sample frequencies of an ``n``-point DFT: ``[0, 1, ..., -2, -1] / (d n)``."""
    values = np.arange(n)
    values[(n + 1) // 2:] -= n
    return _frequencies("fftfreq", values, n, d, dtype, requires_grad)


def rfftfreq(n: int, d: float = 1.0, *, out: Any = None, dtype=None, layout=None,
             device=None, requires_grad: bool = False) -> Tensor:
    """The non-negative sample frequencies of an ``n``-point `rfft`."""
    return _frequencies("rfftfreq", np.arange(n // 2 + 1), n, d, dtype, requires_grad)


def _shift(input, dim, half) -> Tensor:  # noqa: A002
    shape = tuple(input.shape)
    dims = range(len(shape)) if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    dims = tuple(dims)
    if not dims:
        return input
    return METHODS["roll"](input, tuple(half(shape[d]) for d in dims), dims)


def fftshift(input: Tensor, dim=None) -> Tensor:  # noqa: A002
    """The zero frequency moved to the middle: a roll by ``n // 2`` along ``dim`` (all)."""
    return _shift(input, dim, lambda n: n // 2)


def ifftshift(input: Tensor, dim=None) -> Tensor:  # noqa: A002
    """The inverse of `fftshift`: a roll by ``(n + 1) // 2``."""
    return _shift(input, dim, lambda n: (n + 1) // 2)

# torch's out= on the functions torch.fft gives it (eager/out_argument.py)
from ..out_argument import add_out_arguments as _add_out_arguments  # noqa: E402
from ..out_argument_tables import FFT_OUT as _FFT_OUT  # noqa: E402

_add_out_arguments(globals(), _FFT_OUT, "fft_")
