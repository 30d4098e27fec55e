"""The bridge from distributions to ATen's rejection samplers of `eager.random.gamma_kernels`:
parameters in, a Tensor of PyTorch's draws out (no gradient), from the global generator; and
`SampleOnly`, the base of the distributions drawn through them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import eager
from eager.random import gamma_kernels
from eager.random.generator import engine_of

from .distribution import Distribution

# ATen's names of the kernels that dispatch on float32 and float64 only (poisson takes half).
_FLOAT_ONLY = {"standard_gamma": "gamma_cpu", "sample_dirichlet": "dirichlet",
               "binomial": "binomial_cpu"}
_ATEN_TYPE = {"float16": "Half", "bfloat16": "BFloat16", "int64": "Long", "int32": "Int",
              "bool": "Bool", "int8": "Char", "uint8": "Byte", "int16": "Short"}


def _draw(kernel: Callable, *params: Any) -> Any:
    arrays = [np.ascontiguousarray(p.detach().numpy()) for p in params]
    dtype = arrays[0].dtype
    if dtype not in (np.float32, np.float64) and (kernel.__name__ in _FLOAT_ONLY
                                                  or dtype != np.float16):
        name = _FLOAT_ONLY.get(kernel.__name__, "poisson_cpu")
        raise NotImplementedError(
            f'"{name}" not implemented for \'{_ATEN_TYPE.get(dtype.name, dtype.name)}\'')
    values = kernel(engine_of(None), *arrays)
    return eager.from_numpy(np.ascontiguousarray(values.reshape(arrays[0].shape)))


def standard_gamma(concentration: Any) -> Any:
    """``torch._standard_gamma``: a Gamma(concentration, 1) draw per element."""
    return _draw(gamma_kernels.standard_gamma, concentration)


def sample_dirichlet(concentration: Any) -> Any:
    """``torch._sample_dirichlet``: a Dirichlet draw per vector of the last dim."""
    return _draw(gamma_kernels.sample_dirichlet, concentration)


def poisson(rate: Any) -> Any:
    """``torch.poisson``: a Poisson draw per element."""
    return _draw(gamma_kernels.poisson, rate)


def binomial(count: Any, prob: Any) -> Any:
    """``torch.binomial``: a Binomial(count, prob) draw per element (same shapes)."""
    return _draw(gamma_kernels.binomial, count, prob)


class SampleOnly(Distribution):
    """A distribution of the gamma family whose ``rsample`` PyTorch reparameterizes through
    ``_standard_gamma_grad``, an approximation not reproduced here: ``has_rsample`` is False
    and ``rsample`` says so; ``sample`` draws PyTorch's numbers."""

    has_rsample = False

    def rsample(self, sample_shape: tuple = ()) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}.rsample: the reparameterized gradient of the gamma family "
            "(PyTorch's _standard_gamma_grad) is not implemented in eager; use .sample(), "
            "which draws PyTorch's numbers without gradient")


__all__ = ["standard_gamma", "sample_dirichlet", "poisson", "binomial", "SampleOnly"]
