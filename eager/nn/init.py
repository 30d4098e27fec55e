"""Weight initialization, PyTorch's functions and formulas (``torch.nn.init``).

Every function fills a Tensor in place (its own ndarray: the version counter is bumped) from
eager's global random generator (or ``generator=``) and returns the tensor. The draws are
PyTorch's, in PyTorch's order (`eager.random`), so after the same ``manual_seed`` a model's
initial weights equal PyTorch's.

    >>> import math, eager
    >>> w = kaiming_uniform_(eager.empty(5, 10), a=math.sqrt(5))  # Linear's default init
    >>> bool(abs(w.numpy()).max() <= 1 / math.sqrt(10))
    True
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..random import kernels as random_kernels
from ..random import sampling as random_sampling
from ..random.generator import default_generator, engine_of
from ..tensor import Tensor


def _fill(tensor: Tensor, values: np.ndarray | float) -> Tensor:
    tensor._data[...] = values
    tensor._bump_version()
    return tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (``relu`` -> sqrt(2), ``tanh`` -> 5/3, ...)."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d")
    if nonlinearity in linear or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shaped ``(out, in, *kernel)``: ``in`` and ``out``
    times the kernel's size, as PyTorch counts them.

        >>> import eager
        >>> fan_in_and_fan_out(eager.empty(8, 3, 5, 5))
        (75, 200)
    """
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


# PyTorch's own, private spelling: code ported from PyTorch (a copied ``reset_parameters``)
# calls ``nn.init._calculate_fan_in_and_fan_out``. Our modules call the public name.
_calculate_fan_in_and_fan_out = fan_in_and_fan_out


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with samples of U(a, b)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with samples of N(mean, std^2)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def _transformed(candidates: np.ndarray, mean: float, std: float,
                 log_peak: float) -> np.ndarray:
    """``candidates.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak)`` in the dtype."""
    f = candidates.dtype.type
    z = (candidates - f(mean)) / f(std)
    return (z * z) * f(-0.5) - f(log_peak)


def _accepts(engine: Any, like: np.ndarray, log_pdf: np.ndarray) -> np.ndarray:
    """``accept_buf.uniform_().log_().gt(log_pdf)``: a fresh uniform per element."""
    u = random_kernels.uniform(engine, like.size, like.dtype).reshape(like.shape)
    with np.errstate(divide="ignore"):
        return np.log(u) > log_pdf


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Any = None) -> Tensor:
    """Fill with N(mean, std^2) truncated to [a, b], drawn as PyTorch 2.13 draws it: redrawn
    normals when [a, b] holds more than 30% of the mass, else uniforms on [a, b] accepted
    against the density (every round draws a whole tensor of each, as PyTorch does)."""
    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)
    data = tensor._data
    engine = engine_of(generator)
    shape, dtype, n = data.shape, data.dtype, data.size
    if norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std) > 0.3:
        lo, hi = dtype.type(a), dtype.type(b)
        result = random_kernels.normal(engine, n, dtype, mean, std).reshape(shape)
        while True:
            outside = (result < lo) | (result > hi)
            if not outside.any():
                break
            fresh = random_kernels.normal(engine, n, dtype, mean, std).reshape(shape)
            result = np.where(outside, fresh, result)
        return _fill(tensor, result)
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2
    result = random_kernels.uniform(engine, n, dtype, a, b).reshape(shape)
    pending = _accepts(engine, result, _transformed(result, mean, std, log_peak))
    while pending.any():
        candidates = random_kernels.uniform(engine, n, dtype, a, b).reshape(shape)
        result = np.where(pending, candidates, result)
        log_pdf = _transformed(candidates, mean, std, log_peak)
        pending = np.where(pending, _accepts(engine, result, log_pdf), pending)
    return _fill(tensor, result)


def constant_(tensor: Tensor, val: float) -> Tensor:
    return _fill(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 1)


def zeros_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity (ones on the diagonal)."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-d convolution weight with the Dirac delta: each of the first
    channels of every group passes its input channel through at the kernel's centre, so the
    convolution is the identity on them; zeros elsewhere.

        >>> import eager
        >>> dirac_(eager.empty(2, 2, 3)).numpy()[:, :, 1].tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_channels, in_channels, *kernel = tensor.shape
    if out_channels % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = out_channels // groups
    values = np.zeros(tensor.shape, dtype=tensor._data.dtype)
    centre = tuple(k // 2 for k in kernel)
    for g in range(groups):
        for d in range(min(per_group, in_channels)):
            values[(g * per_group + d, d) + centre] = 1
    return _fill(tensor, values)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot uniform: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # PyTorch's order of operations: the same float bound
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _zero_element(tensor: Tensor) -> bool:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan). Linear and Conv2d use
    ``a=sqrt(5)``, which gives b = 1 / sqrt(fan_in)."""
    if _zero_element(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Any = None) -> Tensor:
    """He normal: N(0, std^2) with std = gain / sqrt(fan)."""
    if _zero_element(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix, trailing dimensions flattened: the Q of the QR
    decomposition of a standard normal matrix, its columns' signs fixed by R's diagonal, times
    ``gain``. The normals are PyTorch's; the QR is NumPy's LAPACK, equal to PyTorch's to
    within rounding."""
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    data = tensor._data
    if data.size == 0:
        return tensor
    rows = data.shape[0]
    cols = data.size // rows
    flat = random_kernels.normal(engine_of(generator), rows * cols, data.dtype)
    flat = flat.reshape(rows, cols)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = (q * np.sign(np.diag(r))).astype(data.dtype)
    if rows < cols:
        q = q.T
    return _fill(tensor, q.reshape(data.shape) * data.dtype.type(gain))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """Fill a 2-D tensor with N(0, std^2) and zero ``ceil(sparsity * rows)`` entries of each
    column, chosen by a permutation per column drawn (as PyTorch draws it) from the global
    generator whatever ``generator`` is."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    normal_(tensor, 0.0, std, generator)
    data = tensor._data
    for col in range(cols):  # one permutation per column, in PyTorch's order
        data[random_sampling.randperm(rows, default_generator.engine)[:num_zeros], col] = 0
    tensor._bump_version()
    return tensor

