"""Creating a layer's parameters: PyTorch's ``dtype=``/``device=`` keywords, empty storage."""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.device import check_device

from .parameter import Parameter


def param_dtype(dtype: Any, device: Any = None) -> np.dtype:
    """The dtype new parameters get (float32 unless given); ``device`` may only be the CPU
    (any other raises what PyTorch without CUDA raises, as a factory's ``device=`` does)."""
    check_device(device, creating=True)
    if dtype is None:
        return dt.DEFAULT_FLOAT
    dtype = dt.as_dtype(dtype, op="nn")
    if dtype.kind != "f":
        raise TypeError(f"layer parameters must be floating point, got dtype {dtype}")
    return dtype


def empty_parameter(shape: tuple[int, ...], dtype: np.dtype) -> Parameter:
    """A Parameter over fresh (zeroed) storage, to be filled by an `eager.nn.init` function."""
    return Parameter(np.zeros(shape, dtype=dtype))
