"""The argument rules of ``torch.fft``, as ATen checks them: the input's dtype, ``norm``,
``n``/``dim`` of the one-dimensional transforms and ``s``/``dim`` of the n-dimensional ones,
with PyTorch's messages.

    >>> norm_mode("ortho", forward=True), norm_mode(None, forward=False)
    ('by_root_n', 'by_n')
"""

from __future__ import annotations

from typing import Any

import shared_ops
from shared_ops import dtypes as dt
from shared_ops.complex_support import torch_dtype_name
from shared_ops.tensor_api_core import wrap_dim

from ..tensor_base import TensorBase

__all__ = ["norm_mode", "checked_input", "one_dim", "n_dims", "resized", "check_points"]


def norm_mode(norm: str | None, forward: bool) -> str:
    """ATen's scale of a transform: ``"none"``, ``"by_n"`` or ``"by_root_n"``."""
    if norm is None or norm == "backward":
        return "none" if forward else "by_n"
    if norm == "forward":
        return "by_n" if forward else "none"
    if norm == "ortho":
        return "by_root_n"
    raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def checked_input(fn: str, input: Any, *, real: str | None = None,  # noqa: A002
                  to_complex: bool = False) -> Any:
    """``input`` as the transform takes it: integers and bools become the default float, half
    precision is refused (as torch's CPU FFT); ``real``: the name that requires a real input;
    ``to_complex``: a real input becomes complex."""
    if not isinstance(input, TensorBase):
        hint = "" if not hasattr(input, "op") else \
            " (static graphs do not compute with complex values: run torch.fft in eager mode)"
        raise TypeError(f"fft_{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}{hint}")
    dtype = input._data.dtype
    if dtype.kind in "biu":
        input = shared_ops.cast(input, dtype=dt.default_float())
    elif dtype == dt.float16:
        raise RuntimeError("Unsupported dtype Half")
    dtype = input._data.dtype
    if real is not None and dtype.kind == "c":
        raise RuntimeError(f"{real} input tensor, but got {torch_dtype_name(dtype)}")
    if to_complex and dtype.kind != "c":
        input = shared_ops.cast(input, dtype=dt.complex_of(dtype))
    return input


def check_points(n: int) -> int:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def one_dim(input: Any, n: int | None, dim: int) -> tuple[int, int]:  # noqa: A002
    """The wrapped ``dim`` and the signal length ``n`` of a one-dimensional transform."""
    ndim = input._data.ndim
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    dim = wrap_dim(dim, ndim)
    return dim, check_points(input._data.shape[dim] if n is None else n)


def n_dims(input: Any, s, dim) -> tuple[tuple[int, ...], tuple[int, ...]]:  # noqa: A002
    """ATen's ``canonicalize_fft_shape_and_dim_args``: the dims transformed and their signal
    sizes (``s=-1``: the input's size)."""
    shape = input._data.shape
    ndim = len(shape)
    dims: list[int] = []
    if dim is not None:
        for d in (dim,) if isinstance(dim, int) else dim:
            if ndim == 0:
                raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
            dims.append(wrap_dim(d, ndim))
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = [s] if isinstance(s, int) else list(s)
        if dim is not None and len(dims) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has "
                               f"{ndim} dimensions.")
        if dim is None:
            dims = list(range(ndim - len(s), ndim))
        sizes = [shape[d] if n == -1 else n for d, n in zip(dims, s, strict=True)]
    else:
        if dim is None:
            dims = list(range(ndim))
        sizes = [shape[d] for d in dims]
    for n in sizes:
        check_points(n)
    return tuple(dims), tuple(sizes)


def resized(input: Any, dims, sizes) -> Any:  # noqa: A002
    """``input`` trimmed or zero-padded to ``sizes`` along ``dims`` (unchanged if it is)."""
    shape = input._data.shape
    if all(shape[d] == n for d, n in zip(dims, sizes, strict=True)):
        return input
    return shared_ops.fft_resize(input, dims=tuple(dims), sizes=tuple(sizes))
