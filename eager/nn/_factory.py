"""Creating a layer's parameters: PyTorch's ``dtype=``/``device=`` keywords, empty storage, and
the affine parameters and running statistics the normalization layers share."""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.device import check_device

from ..tensor import Tensor
from . import init
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


def weight_and_bias(module: Any, weight_shape: tuple[int, ...], bias_shape: tuple[int, ...],
                    dtype: np.dtype, bias: bool = True) -> None:
    """Give a layer its (empty) ``weight`` and, when ``bias``, its ``bias`` (else register it as
    None, as PyTorch's layers do); the layer's ``reset_parameters`` fills them."""
    module.weight = empty_parameter(weight_shape, dtype)
    if bias:
        module.bias = empty_parameter(bias_shape, dtype)
    else:
        module.register_parameter("bias", None)


def affine_parameters(module: Any, shape: tuple[int, ...], dtype: np.dtype, affine: bool,
                      bias: bool = True) -> None:
    """Give a normalization layer its ``weight`` and ``bias`` of ``shape`` (``bias`` only when
    asked), or register both as None when it is not ``affine``; `reset_affine` fills them."""
    if affine:
        weight_and_bias(module, shape, shape, dtype, bias)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)


def reset_affine(module: Any) -> None:
    """PyTorch's start for a normalization's affine part: weight ones, bias zeros (each when
    present)."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


def running_stats(module: Any, num_features: int, dtype: np.dtype, track: bool) -> None:
    """Register a normalization's ``running_mean`` (zeros), ``running_var`` (ones) and
    ``num_batches_tracked`` (int64 zero) buffers, or all three as None when not tracking."""
    if track:
        module.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype)))
        module.register_buffer("running_var", Tensor(np.ones(num_features, dtype)))
        module.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
    else:
        module.register_buffer("running_mean", None)
        module.register_buffer("running_var", None)
        module.register_buffer("num_batches_tracked", None)
