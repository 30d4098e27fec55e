"""Gradient clipping: `clip_grad_norm_` (rescale all gradients so that their joint norm is
at most ``max_norm``), `clip_grad_value_` (clamp each entry), and their two halves
`get_total_norm` and `clip_grads_with_norm_`, with PyTorch's formulas and errors.

Gradients are changed in place, without autograd recording, so an optimizer's next step sees
them. ``foreach`` (PyTorch's choice of fused multi-tensor kernels) is accepted and changes
nothing here: the values are the same either way.

    >>> import eager
    >>> w = eager.zeros(2, requires_grad=True)
    >>> w.grad = eager.tensor([3.0, 4.0])
    >>> clip_grad_norm_([w], max_norm=1.0)
    tensor(5.)
    >>> w.grad
    tensor([0.6000, 0.8000])
"""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from shared_ops import dtypes as dt

from ...autograd import no_grad
from ...sparse.coo import refused as sparse_refused
from ...tensor import Tensor


def _as_list(tensors: Tensor | Iterable[Tensor]) -> list[Any]:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _norm(values: np.ndarray, norm_type: float) -> np.ndarray:
    """The ``norm_type``-norm of all of ``values``, in their dtype."""
    size = np.abs(values)
    if norm_type == math.inf:
        return size.max() if size.size else np.zeros((), values.dtype)
    if norm_type == -math.inf:
        return size.min()
    if norm_type == 0:
        return np.asarray((values != 0).sum(), dtype=values.dtype)
    if norm_type == 1:
        return size.sum(dtype=values.dtype)
    if norm_type == 2:
        return np.sqrt(np.sum(size * size, dtype=values.dtype))
    return np.power(np.sum(np.power(size, norm_type), dtype=values.dtype), 1.0 / norm_type)


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The norm of the per-tensor norms (the norm of all entries together)."""
    tensors = _as_list(tensors)
    if any(getattr(type(t), "is_sparse", None) is True for t in tensors):
        raise sparse_refused("linalg_vector_norm")  # torch 2.13 has no norm of COO gradients
    arrays = [t.detach().numpy() for t in tensors]
    norm_type = float(norm_type)
    if not arrays:
        return Tensor(np.asarray(0.0, dt.DEFAULT_FLOAT))  # torch.tensor(0.0)
    dtype = np.result_type(*arrays)
    total = _norm(np.stack([_norm(a, norm_type).astype(dtype) for a in arrays]), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                           "`parameters` is non-finite, so it cannot be clipped. To disable "
                           "this error and scale the gradients by the non-finite norm anyway, "
                           "set `error_if_nonfinite=False`")
    return Tensor(np.asarray(total, dtype))


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                          total_norm: Tensor, foreach: bool | None = None) -> None:
    """Scale every gradient by ``min(max_norm / (total_norm + 1e-6), 1)``."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    total = np.asarray(total_norm.detach().numpy() if isinstance(total_norm, Tensor)
                       else total_norm)
    coef = np.minimum(np.asarray(float(max_norm), total.dtype) / (total + total.dtype.type(1e-6)),
                      total.dtype.type(1.0))
    with no_grad():
        for g in grads:
            g.mul_(Tensor(coef.astype(g.dtype)))


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:
    """Rescale the gradients of ``parameters`` in place so that their total ``norm_type``-norm
    is at most ``max_norm``; returns the total norm before clipping."""
    if not isinstance(parameters, Tensor):
        generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=2)
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters: Tensor | Iterable[Tensor], max_norm: float,
                   norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """Deprecated spelling of `clip_grad_norm_` (PyTorch's FutureWarning)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamp every gradient entry to ``[-clip_value, clip_value]``, in place."""
    clip_value = float(clip_value)
    with no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
