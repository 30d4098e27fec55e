"""torch functions of issue 16's second batch that make tensors or set global modes: the
window functions (``torch.hann_window`` ...: `shared_ops.torch_functions_more` computes the
values, this module makes the tensor with ``dtype=`` and ``requires_grad=``),
``polygamma(n, input)``, the deterministic-algorithms switch, the float32 matmul precision and
the default device.

    >>> import eager
    >>> eager.hann_window(4)
    tensor([0.0000, 0.5000, 1.0000, 0.5000])
"""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from shared_ops import torch_functions_more as more
from shared_ops.device import ENTERED, check_device, device
from shared_ops.dtypes import default_float
from shared_ops.torch_functions_more import polygamma

from .backends import cuda as cuda_backend
from .creation import tensor
from .tensor_base import TensorBase, check_dtype


def _window(name: str):
    compute = getattr(more, name)

    def fn(window_length: int, *args: Any, dtype=None, layout=None, device=None,
           requires_grad: bool = False, pin_memory: bool = False,
           **params: Any) -> TensorBase:
        # ``params``: the window's own keywords (periodic, alpha, beta), checked by `compute`.
        check_device(device, creating=True)
        values = compute(window_length, *args, dtype=None if dtype is None
                         else check_dtype(dtype), **params)
        return tensor(values, requires_grad=requires_grad)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``torch.{name}``: {compute.__doc__}"
    return fn


hann_window = _window("hann_window")
hamming_window = _window("hamming_window")
blackman_window = _window("blackman_window")
bartlett_window = _window("bartlett_window")
kaiser_window = _window("kaiser_window")

# Kernels here are deterministic already; the switch is kept, so programs that set it and
# read it back (or save it in a checkpoint's config) run as under PyTorch.
_deterministic = {"mode": False, "warn_only": False}


def _triangle_indices(upper: bool, row: int, col: int, offset: int, dtype: Any) -> Any:
    rows, cols = np.indices((row, col))
    keep = (cols - rows >= offset) if upper else (cols - rows <= offset)
    return tensor(np.stack([rows[keep], cols[keep]]), dtype=check_dtype(dtype))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None, layout: Any = None) -> Any:  # noqa: ARG001
    """The (row, column) indices of the lower triangle of a row x col matrix, one column each
    (on and below the ``offset`` diagonal), in row-major order."""
    check_device(device)
    return _triangle_indices(False, row, col, offset, "int64" if dtype is None else dtype)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None, layout: Any = None) -> Any:  # noqa: ARG001
    """The (row, column) indices of the upper triangle (on and above ``offset``)."""
    check_device(device)
    return _triangle_indices(True, row, col, offset, "int64" if dtype is None else dtype)


def logspace(start: float, end: float, steps: int, base: float = 10.0, *, dtype: Any = None,
             layout: Any = None, device: Any = None,  # noqa: ARG001
             requires_grad: bool = False) -> Any:
    """``steps`` values from ``base ** start`` to ``base ** end``, evenly spaced in exponent."""
    check_device(device)
    exponents = np.linspace(start, end, steps, dtype=np.float64)
    values = np.power(float(base), exponents)
    return tensor(values, dtype=dtype if dtype is not None else default_float(),
                  requires_grad=requires_grad)


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Record PyTorch's deterministic-algorithms switch (every kernel here is deterministic,
    so nothing else changes)."""
    _deterministic["mode"] = builtins.bool(mode)
    _deterministic["warn_only"] = builtins.bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """What ``use_deterministic_algorithms`` last set (False at first)."""
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` last given to ``use_deterministic_algorithms``."""
    return _deterministic["warn_only"]


# Kept for programs that set it in their header (and read it back): NumPy's float32 matmul
# has one precision; PyTorch's 'high' and 'medium' also switch cuBLAS to TF32.
_MATMUL_PRECISIONS = ("highest", "high", "medium")
_matmul_precision = {"value": "highest"}


def set_float32_matmul_precision(precision: str) -> None:
    """Record ``'highest'``, ``'high'`` or ``'medium'`` (``backends.cuda.matmul.allow_tf32``
    follows, as in PyTorch); any other value warns and changes nothing, as PyTorch does."""
    if precision not in _MATMUL_PRECISIONS:
        # PyTorch's message, its missing space included.
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning,
                      stacklevel=2)
        return
    _matmul_precision["value"] = precision
    cuda_backend.matmul.allow_tf32 = precision != "highest"


def get_float32_matmul_precision() -> str:
    """What ``set_float32_matmul_precision`` last set (``'highest'`` at first)."""
    return _matmul_precision["value"]


def get_default_device() -> device:
    """The device factories use when given none: the CPU here, spelled as the innermost open
    ``with device(...)`` block names it (``cpu:0`` inside ``with torch.device("cpu:0")``)."""
    return ENTERED[-1] if ENTERED else device("cpu")


def set_default_device(device: Any) -> None:  # noqa: A002 -- torch's name
    """Accept the CPU (or None) as the default device; CUDA raises PyTorch's error when it is
    not available, as its factories would."""
    check_device(device, creating=True)


__all__ = ["tril_indices", "triu_indices", "logspace", "hann_window", "hamming_window",
           "blackman_window", "bartlett_window",
           "kaiser_window", "polygamma", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled",
           "is_deterministic_algorithms_warn_only_enabled", "set_float32_matmul_precision",
           "get_float32_matmul_precision", "get_default_device",
           "set_default_device"]
