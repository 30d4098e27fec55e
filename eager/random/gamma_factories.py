"""The tensor functions over ATen's rejection samplers (`gamma_kernels`): ``torch.poisson``,
``torch.binomial``, ``torch._standard_gamma`` and ``torch._sample_dirichlet``, each drawing
PyTorch's numbers from ``generator`` (else the global one), with ATen's dtype refusals.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> poisson(eager.tensor([4.0, 40.0]))
    tensor([ 7., 41.])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor_base import TensorBase, wrap_array
from . import gamma_kernels
from .generator import engine_of

# ATen's kernel names; poisson alone also runs in half precision.
_KERNEL_NAME = {gamma_kernels.standard_gamma: "gamma_cpu",
                gamma_kernels.sample_dirichlet: "dirichlet",
                gamma_kernels.binomial: "binomial_cpu", gamma_kernels.poisson: "poisson_cpu"}
_ATEN_TYPE = {"float16": "Half", "bfloat16": "BFloat16", "float32": "Float",
              "float64": "Double", "int64": "Long", "int32": "Int",
              "bool": "Bool", "int8": "Char", "uint8": "Byte", "int16": "Short"}


def _draw(kernel: Callable, generator: Any, *params: TensorBase) -> TensorBase:
    arrays = [np.ascontiguousarray(p._data) for p in params]
    dtype = arrays[0].dtype
    allowed = (np.float32, np.float64) + ((np.float16,) if kernel is gamma_kernels.poisson
                                          else ())
    if dtype not in allowed:
        raise NotImplementedError(f'"{_KERNEL_NAME[kernel]}" not implemented for '
                                  f"'{_ATEN_TYPE.get(dtype.name, dtype.name)}'")
    values = kernel(engine_of(generator), *arrays)
    return wrap_array(np.ascontiguousarray(values.reshape(arrays[0].shape)))


def poisson(input: TensorBase, generator: Any = None) -> TensorBase:  # noqa: A002
    """``torch.poisson``: one Poisson draw per element, with the element as its rate."""
    return _draw(gamma_kernels.poisson, generator, input)


def binomial(count: TensorBase, prob: TensorBase, generator: Any = None) -> TensorBase:
    """``torch.binomial``: one Binomial(count, prob) draw per element of ``count``."""
    for name, value in (("count", count), ("prob", prob)):
        if value._data.dtype.kind != "f":
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: "
                             f"{_ATEN_TYPE.get(value._data.dtype.name, value._data.dtype.name)}")
    if count._data.dtype != prob._data.dtype:
        raise RuntimeError(f"Found dtype {_ATEN_TYPE.get(prob._data.dtype.name, 'Double')} but "
                           f"expected {_ATEN_TYPE.get(count._data.dtype.name, 'Double')}")
    return _draw(gamma_kernels.binomial, generator, count, prob)


def standard_gamma(input: TensorBase, generator: Any = None) -> TensorBase:  # noqa: A002
    """``torch._standard_gamma``: one Gamma(element, 1) draw per element."""
    return _draw(gamma_kernels.standard_gamma, generator, input)


def sample_dirichlet(input: TensorBase, generator: Any = None) -> TensorBase:  # noqa: A002
    """``torch._sample_dirichlet``: one Dirichlet draw per vector of the last dim."""
    return _draw(gamma_kernels.sample_dirichlet, generator, input)


__all__ = ["poisson", "binomial", "standard_gamma", "sample_dirichlet"]
