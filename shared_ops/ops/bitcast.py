"""``view_dtype``: PyTorch's ``Tensor.view(dtype)``, the same bytes read as another dtype (a
view of the input, no copy). Between dtypes of one size the shape is kept; otherwise the last
dim scales by the ratio of the sizes, and PyTorch's conditions hold: at least one dim, the
last dim contiguous (stride 1), its size divisible by the ratio when the new dtype is wider,
and the start aligned to the wider size. No gradient, as in PyTorch (the result never
requires grad).

    >>> import numpy as np
    >>> view_dtype(np.array([[1, 2]], np.int64), dtype=np.dtype(np.int32)).tolist()
    [[1, 0, 2, 0]]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..dtypes import as_dtype
from ..errors import OpError
from ..registry import primitive
from ..tensor_api_core import scalar_type_name


class ViewDtypeError(OpError, RuntimeError):
    """PyTorch raises RuntimeError where a view cannot reinterpret the bytes."""


def _check(x: Aval, dtype: np.dtype, last_stride: int | None = None,
           offset_bytes: int | None = None) -> tuple:
    """PyTorch's conditions and messages; returns the output shape."""
    old, new = x.dtype.itemsize, dtype.itemsize
    if old == new:
        return x.shape
    what = (f"to view {scalar_type_name(x.dtype)} as {scalar_type_name(dtype)} (different "
            "element sizes)")
    if not x.shape:
        raise ViewDtypeError("view", f"self.dim() cannot be 0 {what}")
    if last_stride is not None and last_stride != 1 and x.shape[-1] not in (0, 1):
        raise ViewDtypeError("view", f"self.stride(-1) must be 1 {what}, but got {last_stride}")
    last = x.shape[-1]
    if new > old:
        ratio = new // old
        if last is not None and last % ratio:
            raise ViewDtypeError("view", f"self.size(-1) must be divisible by {ratio} {what}, "
                                 f"but got {last}")
        if offset_bytes is not None and offset_bytes % new:
            raise ViewDtypeError("view", f"self.storage_offset() must be divisible by {ratio} "
                                 f"{what}, but got {offset_bytes // old}")
        return x.shape[:-1] + (None if last is None else last // ratio,)
    return x.shape[:-1] + (None if last is None else last * (old // new),)


def _offset_bytes(x: np.ndarray) -> int:
    """How many bytes into the array it views (its storage) ``x`` starts."""
    root = x
    while isinstance(root.base, np.ndarray):
        root = root.base
    return x.__array_interface__["data"][0] - root.__array_interface__["data"][0]


def _kernel(x: np.ndarray, dtype) -> np.ndarray:
    dtype = np.dtype(dtype)
    stride = x.strides[-1] // x.itemsize if x.ndim else None
    shape = _check(Aval(x.shape, x.dtype), dtype, stride, _offset_bytes(x))
    if x.dtype.itemsize == dtype.itemsize or x.shape[-1] == 0:
        return x.view(dtype).reshape(shape)
    if x.strides[-1] != x.itemsize:  # a last dim of size 1 at any stride: make it contiguous
        x = np.lib.stride_tricks.as_strided(x, x.shape, x.strides[:-1] + (x.itemsize,))
    return x.view(dtype)


def _rule(x: Aval, dtype) -> Aval:
    return Aval(_check(x, np.dtype(dtype)), np.dtype(dtype))


view_dtype = primitive("view_dtype", _kernel, _rule, None, differentiable_output=False,
                       view=True, torch_name="ViewBackward0",
                       doc="The input's bytes read as ``dtype`` (PyTorch's view(dtype)).")



def is_dtype_spec(spec) -> bool:
    """Is ``spec`` a dtype (a NumPy dtype or scalar type, a mode's dtype object) rather than a
    size? ``x.view(torch.int32)`` against ``x.view(6)``."""
    if isinstance(spec, np.dtype):
        return True
    if isinstance(spec, type):
        return issubclass(spec, np.generic)
    return isinstance(getattr(spec, "dtype", None), np.dtype) and not hasattr(spec, "shape")


def view_as_dtype(x, dtype):
    """``x.view(dtype)``: the ``view_dtype`` op with ``dtype`` as a NumPy dtype."""
    return view_dtype(x, dtype=as_dtype(dtype, op="view"))


__all__ = ["view_dtype"]
