"""Collation (PyTorch's ``torch.utils.data._utils.collate``): turn a list of samples into a
batch (`default_collate`), or convert one sample's arrays to tensors (`default_convert`).

`collate` dispatches on the first sample's type through ``collate_fn_map`` (exact type first,
then ``isinstance`` in insertion order) and recurses into mappings, namedtuples and sequences:

* Tensor -> stacked along a new first dim; NumPy array -> tensor, then stacked;
* NumPy scalar -> tensor of its dtype; float -> float64 tensor; int (and bool) -> int64 (bool);
* str / bytes -> left as they are (the list, or the tuple of a column);
* Mapping -> same mapping type of collated values; namedtuple -> same namedtuple;
  tuple -> *list* of collated columns (PyTorch's backwards-compatible choice); other
  sequences -> same type.

    >>> default_collate([(0, 1.5, "a"), (2, 3.5, "b")])
    [tensor([0, 2]), tensor([1.5000, 3.5000], dtype=eager.float64), ('a', 'b')]
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops import dtypes as dt

from ....creation import tensor as _tensor
from ....functions_shape import stack
from ....tensor import Tensor
from ....tensor_base import wrap_array

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, "
                                  "numbers, dicts or lists; found {}")

CollateMap = dict[type | tuple[type, ...], Callable]


def _from_numpy(data: Any) -> Tensor:
    """``torch.as_tensor`` of an ndarray or NumPy scalar: shares an ndarray's memory."""
    array = np.asarray(data)
    dt.check_supported(array.dtype, op="default_collate")
    return wrap_array(array)


def default_convert(data: Any) -> Any:
    """Convert NumPy arrays and scalars inside ``data`` to tensors, keeping the structure
    (the collate_fn when automatic batching is off: ``batch_size=None``).

        >>> default_convert((np.array([1, 2]), 3))
        [tensor([1, 2]), 3]
    """
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and \
                np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return _from_numpy(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:  # the mapping type cannot be built from a dict
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, str | bytes):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def collate(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Any:
    """Collate ``batch`` (a list of samples) with per-type functions from ``collate_fn_map``,
    recursing into containers. Each function takes ``(batch, *, collate_fn_map)``."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        def column(key: Any) -> Any:
            return collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({key: column(key) for key in elem})
                return clone
            return elem_type({key: column(key) for key in elem})
        except TypeError:
            return {key: column(key) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch, strict=False)))
    if isinstance(elem, collections.abc.Sequence):
        elem_size = len(elem)
        if not all(len(e) == elem_size for e in batch[1:]):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map)
                   for samples in zip(*batch, strict=False)]
        if isinstance(elem, tuple):
            return columns  # a list, not a tuple: PyTorch's backwards-compatible behaviour
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, col in enumerate(columns):
                    clone[i] = col
                return clone
            return elem_type(columns)
        except TypeError:
            return columns
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Tensor:
    first = batch[0]
    shape, dtype = first.shape, first.dtype
    for i, t in enumerate(batch):
        if t.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(t.shape)} at entry {i}")
    if any(t.requires_grad for t in batch) or any(t.dtype != dtype for t in batch):
        return stack(batch, 0)  # recorded for backward / promoted the PyTorch way
    return wrap_array(np.stack([t._data for t in batch]))


def collate_numpy_array_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Any:
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([_from_numpy(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Tensor:
    # Mixed scalar types promote the PyTorch way (int32 with float32 is float32, not float64).
    dtype = dt.result_dtype(*(np.asarray(b).dtype for b in batch))
    return _from_numpy(np.asarray(batch, dtype=dtype))


def collate_float_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Tensor:
    return _tensor(batch, dtype=np.float64)


def collate_int_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Tensor:
    return _tensor(batch)


def collate_str_fn(batch: Any, *, collate_fn_map: CollateMap | None = None) -> Any:
    return batch


# Order matters: the isinstance fallback walks this in insertion order (bool is an int, a
# np.float64 is a float but meets the NumPy entry first).
default_collate_fn_map: CollateMap = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch: Any) -> Any:
    """Stack a list of samples into a batch, field by field (PyTorch's ``default_collate``).

        >>> default_collate([{"x": np.ones(2, np.float32), "y": 1}, {"x": np.zeros(2), "y": 0}])
        {'x': tensor([[1., 1.],
                [0., 0.]], dtype=eager.float64), 'y': tensor([1, 0])}
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)
