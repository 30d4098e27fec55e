"""Helpers of the distributions, as ``torch.distributions.utils``: broadcasting parameters,
converting between probabilities and logits, and cached properties."""

from __future__ import annotations

import functools
from numbers import Number
from typing import Any

import eager
import eager.nn.functional as F


def broadcast_all(*values: Any) -> tuple:
    """Tensors of one broadcast shape from Tensors and numbers (numbers become Tensors of the
    first Tensor's dtype, or of the default dtype)."""
    if not all(isinstance(v, eager.Tensor | Number) for v in values):
        raise ValueError("Input arguments must all be instances of numbers.Number, "
                         "torch.Tensor or objects implementing __torch_function__.")
    if not any(isinstance(v, eager.Tensor) for v in values):
        return tuple(eager.tensor(float(v), dtype=eager.get_default_dtype()) for v in values)
    like = next(v for v in values if isinstance(v, eager.Tensor))
    tensors = [v if isinstance(v, eager.Tensor) else eager.tensor(v, dtype=like.dtype)
               for v in values]
    return tuple(eager.broadcast_tensors(*tensors))


def clamp_probs(probs: Any) -> Any:
    """``probs`` kept within [eps, 1 - eps] of their dtype."""
    eps = eager.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Any, is_binary: bool = False) -> Any:
    """Log-probabilities (categorical) or log-odds (binary) of ``probs``."""
    clamped = clamp_probs(probs)
    if is_binary:
        return eager.log(clamped) - eager.log1p(-clamped)
    return eager.log(clamped)


def logits_to_probs(logits: Any, is_binary: bool = False) -> Any:
    """Probabilities from log-odds (sigmoid) or unnormalised log-probabilities (softmax)."""
    if is_binary:
        return eager.sigmoid(logits)
    return F.softmax(logits, dim=-1)


def sum_rightmost(value: Any, dim: int) -> Any:
    """``value`` summed over its ``dim`` rightmost dims."""
    if dim == 0:
        return value
    return value.reshape(*value.shape[:value.dim() - dim], -1).sum(-1)


def alias(attribute: str, doc: str = "") -> property:
    """A read-only property that is another attribute (``mean = alias("loc")``)."""
    return property(lambda self: getattr(self, attribute), doc=doc or f"``self.{attribute}``.")


def delegated(owner: str, attribute: str) -> property:
    """A read-only property read from the object in attribute ``owner`` (``base_dist.mean``)."""
    return property(lambda self: getattr(getattr(self, owner), attribute),
                    doc=f"``self.{owner}.{attribute}``.")


def probs_or_logits(probs: Any, logits: Any) -> None:
    """Check that exactly one of ``probs`` and ``logits`` is given, as PyTorch does."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")


class lazy_property:  # noqa: N801 (PyTorch's name)
    """A property computed on first use and then stored in the instance's ``__dict__`` (where
    a distribution's ``repr`` finds it, as PyTorch's does)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped
        functools.update_wrapper(self, wrapped)

    def __get__(self, instance: Any, obj_type: Any = None) -> Any:
        if instance is None:
            return self
        with eager.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


def clipped_sigmoid(x: Any) -> Any:
    """``sigmoid(x)`` kept within [tiny, 1 - eps] of its dtype (never exactly 0 or 1)."""
    finfo = eager.finfo(x.dtype)
    return eager.clamp(eager.sigmoid(x), min=finfo.tiny, max=1.0 - finfo.eps)


def _tril_mask(n: int, diag: int) -> Any:
    arange = eager.arange(n)
    return arange < arange.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat: Any, diag: int = 0) -> Any:
    """The entries of ``mat`` on and below diagonal ``diag``, row by row, as a vector."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_mask(n, diag)]


def vec_to_tril_matrix(vec: Any, diag: int = 0) -> Any:
    """The square matrix whose entries on and below diagonal ``diag`` are ``vec``, row by row
    (zeros elsewhere); differentiable in ``vec``."""
    # the positive root of D^2 + (1 + 2 diag) D - |diag| (diag + 1) - 2 len(vec) = 0
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * vec.shape[-1]
                            + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > eager.finfo(vec.dtype).eps:
        raise ValueError(f"The size of last dimension is {vec.shape[-1]} which cannot be "
                         "expressed as the lower triangular part of a square D x D matrix.")
    n = round(n)
    shape = tuple(vec.shape[:-1]) + (n, n)
    return vec.new_zeros(shape).masked_scatter(_tril_mask(n, diag).expand(shape), vec)


__all__ = ["broadcast_all", "clamp_probs", "probs_to_logits", "logits_to_probs",
           "sum_rightmost", "alias", "delegated", "probs_or_logits", "lazy_property",
           "clipped_sigmoid", "tril_matrix_to_vec", "vec_to_tril_matrix"]
