"""The random layers of self-normalizing networks in ``eager.nn.functional``: `alpha_dropout`,
`feature_alpha_dropout` (SELU's dropout: dropped units go to SELU's negative saturation and an
affine map keeps mean and variance) and `rrelu` (a leaky ReLU whose negative slope is drawn
per element while training, its mean in eval).

On eager tensors they draw from the global generator as PyTorch's CPU kernels do, so the same
``manual_seed`` gives the same numbers:

* alpha dropout: ``noise.bernoulli_(1 - p)`` (per element, or per (N, C) channel), then
  ``b = (noise - 1) * alpha * a + alpha * a * p``, ``noise *= a`` and ``x * noise + b``, each
  step rounded in x's dtype, with ``alpha = 1.7580993408473766`` and
  ``a = 1 / sqrt((alpha**2 * p + 1) * (1 - p))``;
* rrelu: one ``uniform_real_distribution<double>(lower, upper)`` draw (a 64-bit word, 53 bits
  used) for each element ``<= 0``, in order; the gradient is the drawn slope there.

Traced into a static graph, alpha dropout's mask is the seeded ``dropout_mask`` op's; rrelu's
training draws have no seeded op and are refused there (eval mode traces to a leaky ReLU).

    >>> import eager
    >>> rrelu(eager.tensor([-4.0, 2.0]))  # eval: the mean slope (1/8 + 1/3) / 2
    tensor([-0.9167,  2.0000])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from ..random.generator import default_generator
from ..random.kernels import uniform
from ..utils._rng import seed_from_global
from .backward_names import name_backward
from .functional_activation import leaky_relu, maybe_inplace
from .functional_dropout import bernoulli_noise, check_p, on_torch_stream

_ALPHA = 1.7580993408473766  # SELU's -scale * alpha: where a dropped unit goes


def _alpha_dropout(name: str, input: Any, p: float, training: bool, inplace: bool,
                   feature: bool) -> Any:
    check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:  # PyTorch multiplies by zero: no draw, and not the saturation value
        return maybe_inplace(input, inplace, name + "_", lambda x: ops.mul(x, 0.0))
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if feature else tuple(input.shape)
    if on_torch_stream(input):
        keep = bernoulli_noise(input, shape, 1.0 - p)
        t = keep.dtype.type
        b = (keep - t(1)) * t(_ALPHA * a) + t(_ALPHA * a * p)
        return maybe_inplace(input, inplace, name + "_",
                             lambda x: ops.add(ops.mul(x, keep * t(a)), b))

    def compute(x: Any) -> Any:
        probe = ops.getitem(x, tuple(slice(0, n) for n in shape))
        keep = ops.mul(ops.dropout_mask(probe, ops.fresh_seed(x, seed_from_global), p=float(p)),
                       1.0 - p)  # the mask is scaled by 1 / (1 - p): back to 0 / 1
        b = ops.add(ops.mul(ops.sub(keep, 1.0), _ALPHA * a), _ALPHA * a * p)
        return ops.add(ops.mul(x, ops.mul(keep, a)), b)
    return maybe_inplace(input, inplace, name + "_", compute)


def alpha_dropout(input: Any, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Any:
    """Alpha dropout of each element (PyTorch's default here is ``training=False``)."""
    return _alpha_dropout("alpha_dropout", input, p, training, inplace, feature=False)


def feature_alpha_dropout(input: Any, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Any:
    """Alpha dropout of whole channels: one draw per (N, C), broadcast over the rest."""
    return _alpha_dropout("feature_alpha_dropout", input, p, training, inplace, feature=True)


def _rrelu_noise(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """PyTorch's noise: the drawn slope at each element ``<= 0`` (in order), 1 elsewhere."""
    negative = np.ascontiguousarray(x) <= 0
    noise = np.ones(x.shape, dtype=x.dtype)
    count = int(negative.sum())
    if count:
        drawn = uniform(default_generator.engine, count, np.dtype(np.float64), lower, upper)
        noise[negative] = drawn.astype(x.dtype)
    return noise


def rrelu(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Any:
    """Randomized leaky ReLU: while ``training`` each element ``<= 0`` is scaled by a slope
    drawn uniformly from ``[lower, upper]``; otherwise by the mean slope."""
    if not training:
        out = leaky_relu(input, (lower + upper) / 2, inplace)
        return out if inplace else name_backward(out, "RreluWithNoiseBackward0")
    if not on_torch_stream(input):
        raise NotImplementedError("rrelu: training=True draws its slopes from eager's "
                                  "generator; it has no seeded op for static graphs or shared "
                                  "seeds (use training=False or a LeakyReLU there)")
    noise = _rrelu_noise(input.detach().numpy(), float(lower), float(upper))
    out = maybe_inplace(input, inplace, "rrelu_", lambda x: ops.mul(x, noise))
    return out if inplace else name_backward(out, "RreluWithNoiseBackward0")


def rrelu_(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Any:
    """In-place `rrelu`."""
    return rrelu(input, lower, upper, training, inplace=True)


__all__ = ["alpha_dropout", "feature_alpha_dropout", "rrelu", "rrelu_"]
