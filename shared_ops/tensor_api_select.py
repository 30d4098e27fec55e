"""Tensor methods that select, sort and scatter, and that convert dtypes and devices.
Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> _topk(np.array([3.0, 1.0, 2.0]), 2).indices
    array([0, 2])
"""

from __future__ import annotations

import math
from typing import Any

from . import dtypes as dt
from . import layout as layouts
from .aval import aval_of
from .tensor_api_core import (
    CPU,
    SortResult,
    TopkResult,
    cast_to,
    check_device,
    device,
    dims_arg,
    is_int,
    keyword_varargs,
    method,
    op,
)


# --- selection, sorting, scattering ------------------------------------------------------------
@method("sort")
def _sort(self, dim=-1, descending=False, stable=False):
    return SortResult(*op("sort")(self, dim, descending, stable))


@method("msort")
def _msort(self):
    """The values sorted ascending along dim 0 (torch.msort)."""
    return _sort(self, 0).values


@method("argsort")
def _argsort(self, dim=-1, descending=False, stable=False):
    return op("argsort")(self, dim=dim, descending=descending, stable=stable)


@method("topk")
def _topk(self, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    return TopkResult(*op("topk")(self, k, dim, largest, sorted))


@method("gather")
def _gather(self, dim, index):
    return op("gather")(self, dim, index)


@method("take_along_dim")
def _take_along_dim(self, indices, dim=None):
    """Values at ``indices`` along ``dim``; with no dim, of the flattened tensor at the
    flattened indices (a 1-d result, as PyTorch's)."""
    if dim is None:
        flat = (op("reshape")(self, shape=(-1,)), op("reshape")(indices, shape=(-1,)))
        return op("take_along_axis")(*flat, axis=0)
    return op("take_along_axis")(self, indices, axis=dim)


@method("index_select")
def _index_select(self, dim, index):
    return op("index_select")(self, dim, index)


@method("scatter")
def _scatter(self, dim, index, src=None, value=None, *, reduce=None):
    return op("scatter")(self, dim, index, src, value, reduce)


@method("scatter_add")
def _scatter_add(self, dim, index, src):
    """``self`` with ``src`` added at ``index`` along ``dim`` (``Tensor.scatter_add``)."""
    return op("scatter")(self, dim, index, src, reduce="add")


@method("index_put")
def _index_put(self, indices, values, accumulate=False):
    """This value with ``values`` written (or, ``accumulate``, added) at ``self[indices]``."""
    return op("index_put")(self, indices, values, accumulate)


@method("narrow")
def _narrow(self, dim, start, length):
    return op("narrow")(self, dim, start, length)


@method("flip")
@keyword_varargs("dims")
def _flip(self, *dims):
    dims = dims[0] if len(dims) == 1 and not is_int(dims[0]) else dims
    return op("flip")(self, dims=tuple(int(d) for d in dims))


@method("roll")
def _roll(self, shifts, dims=None):
    return op("roll")(self, shifts=dims_arg(shifts), dims=dims_arg(dims))


@method("tril")
def _tril(self, diagonal=0):
    return op("tril")(self, diagonal=diagonal)


@method("triu")
def _triu(self, diagonal=0):
    return op("triu")(self, diagonal=diagonal)


@method("repeat_interleave")
def _repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
    return op("repeat_interleave")(self, repeats, dim, output_size)


@method("nonzero")
def _nonzero(self, *, as_tuple=False):
    return op("nonzero")(self, as_tuple)


@method("unique")
def _unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    return op("unique")(self, sorted, return_inverse, return_counts, dim)


@method("multinomial")
def _multinomial(self, num_samples, replacement=False, *, generator=None):
    return op("multinomial")(self, num_samples, replacement, generator)


# --- dtypes and devices ------------------------------------------------------------------------
@method("to")
def _to(self, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; a cast is an op
    (differentiable); devices other than the CPU raise as in PyTorch without CUDA."""
    dtype = kwargs.pop("dtype", None)
    check_device(kwargs.pop("device", None))
    kwargs.pop("non_blocking", None)
    kwargs.pop("copy", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument {next(iter(kwargs))!r}")
    for a in args:
        if hasattr(a, "dtype") and hasattr(a, "shape") and not isinstance(a, type):
            # to(other): other's dtype
            dtype = a.dtype
        elif (isinstance(a, str) and not _is_dtype_name(a) or isinstance(a, device)
              or isinstance(a, int) and not isinstance(a, bool)):
            check_device(a)
        elif a is not None:
            dtype = a
    return self if dtype is None else cast_to(self, dtype)


def _is_dtype_name(name: str) -> bool:
    try:
        dt.as_dtype(name)
    except (TypeError, ValueError):
        return False
    return True


def _to_dtype(name: str, dtype) -> None:
    def fn(self, memory_format=None):
        return cast_to(self, dtype)

    fn.__doc__ = f"This value as {dtype.__name__} (``self.to({dtype.__name__})``)."
    method(name)(fn)


# One per legacy tensor type (FloatTensor ... BoolTensor), as PyTorch pairs them.
for _name, _dtype in (("float", dt.float32), ("double", dt.float64), ("half", dt.float16),
                      ("byte", dt.uint8), ("char", dt.int8), ("short", dt.int16),
                      ("long", dt.int64), ("int", dt.int32), ("bool", dt.bool_)):
    _to_dtype(_name, _dtype.type)


@method("type")
def _type(self, dtype=None):
    """The type name, or this value cast to ``dtype``."""
    if dtype is None:
        return f"dualgraph.{aval_of(self).dtype}"
    return cast_to(self, dtype)


@method("type_as")
def _type_as(self, other):
    return cast_to(self, other.dtype)


@method("is_floating_point")
def _is_floating_point(self) -> bool:
    return aval_of(self).dtype.kind == "f"


@method("element_size", "itemsize")
def _element_size(self) -> int:
    """Bytes per element (``itemsize`` is the same, as a property)."""
    return aval_of(self).dtype.itemsize


@method("nbytes")
def _nbytes(self) -> int:
    """Bytes of all elements; a graph value whose shape has an unknown size has none yet."""
    aval = aval_of(self)
    if None in aval.shape:
        raise ValueError(f"nbytes: the shape {aval.shape} has a size known only at run time")
    return math.prod(aval.shape) * aval.dtype.itemsize


@method("is_signed")
def _is_signed(self) -> bool:
    """True for signed integer and floating dtypes."""
    return aval_of(self).dtype.kind in "fi"


@method("is_complex")
def _is_complex(self) -> bool:
    """True for complex64/complex128 values."""
    return aval_of(self).dtype.kind == "c"


@method("cpu")
def _cpu(self, memory_format=None):
    return self


@method("cuda")
def _cuda(self, device=None, non_blocking=False, memory_format=None):
    """Raises as PyTorch without CUDA does: ``AssertionError: Torch not compiled with CUDA
    enabled`` (a program may catch it)."""
    check_device("cuda" if device is None else device)
    raise AssertionError("Torch not compiled with CUDA enabled")  # device was a CPU one


@method("is_cuda")
def _is_cuda(self) -> bool:
    """Always False (a property)."""
    return False


@method("layout")
def _layout(self) -> Any:
    """``torch.strided``: every value is dense (a property)."""
    return layouts.strided


@method("is_sparse")
def _is_sparse(self) -> bool:
    """Always False: there is no sparse layout (a property)."""
    return False


@method("get_device")
def _get_device(self) -> int:
    """-1, PyTorch's answer for a CPU tensor."""
    return -1


@method("contiguous")
def _contiguous(self, memory_format=None):
    return self


@method("detach")
def _detach(self):
    """The same value, cut off from gradients."""
    return op("stop_gradient")(self)


@method("device")
def _device(self) -> Any:
    """Where the value lives: always the CPU (a property)."""
    return CPU
