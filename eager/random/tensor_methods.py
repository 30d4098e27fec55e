"""The in-place random fills of a Tensor (``uniform_``, ``normal_``, ``random_``,
``bernoulli_``, ``exponential_``, ``cauchy_``, ``geometric_``, ``log_normal_``) and
``Tensor.bernoulli``, drawing PyTorch's numbers.

They write into the tensor's own array (a view's writes reach its base) and bump its version
counter, like every in-place op; a leaf that requires grad is refused while grad mode is on,
as PyTorch refuses it.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> eager.empty(2).uniform_(-1, 1)
    tensor([-0.0075,  0.5364])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.grad_mode import thread_state
from ..tensor_base import TensorBase
from . import kernels
from .factories import bernoulli, floating, integers_into
from .generator import engine_of
from .layout import memory_view

_LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."


def _writable(t: TensorBase, name: str) -> np.ndarray:
    if thread_state.grad_enabled and t.requires_grad:
        if t.grad_fn is None:
            raise RuntimeError(_LEAF_ERROR)
        raise RuntimeError(f"{name} on a tensor that is part of a graph is not supported")
    if not t._data.flags.writeable:
        raise RuntimeError(f"{name}: cannot write in place into a read-only array (from_numpy "
                           "shares the array's memory, flags included): .clone() first")
    return t._data


def _store(t: TensorBase, values: np.ndarray) -> TensorBase:
    """Write ``values`` in the order PyTorch's TensorIterator visits ``t``'s elements: by
    memory, outermost stride first (a transposed view is filled along its base's rows)."""
    target = memory_view(t._data)
    target[...] = values.reshape(target.shape)
    t._bump_version()
    return t


class RandomMethods:
    """Mixed into eager's Tensor (before the other in-place methods)."""

    __slots__ = ()

    def uniform_(self, from_: float = 0.0, to: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with draws of U(from, to) (PyTorch's ``uniform_(from=0, to=1)``)."""
        data = _writable(self, "uniform_")
        floating("check_uniform_bounds", data.dtype)
        if from_ > to:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                               f"from={from_} > to={to}")
        values = kernels.uniform(engine_of(generator), data.size, data.dtype, from_, to)
        return _store(self, values)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with draws of N(mean, std**2)."""
        data = _writable(self, "normal_")
        floating("normal_kernel_cpu", data.dtype)
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        contiguous = bool(data.flags.c_contiguous)
        values = kernels.normal(engine_of(generator), data.size, data.dtype, mean, std,
                                contiguous=contiguous)
        return _store(self, values)

    def random_(self, from_: int | None = None, to: int | None = None, *,
                generator: Any = None, **kwargs: Any) -> Any:
        """``random_()``: integers in [0, 2**mantissa] (floats) or [0, max] (integers);
        ``random_(to)``: [0, to); ``random_(from, to)``: [from, to)."""
        data = _writable(self, "random_")
        from_ = kwargs.pop("from", from_)
        if kwargs:
            raise TypeError(f"random_() got an unexpected keyword argument {next(iter(kwargs))!r}")
        if from_ is None and to is None:
            values = kernels.full_range(engine_of(generator), data.size, data.dtype)
            return _store(self, values)
        low, high = (0, from_) if to is None else (from_, to)
        return _store(self, integers_into(data.shape, int(low), int(high), data.dtype,
                                          generator))

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Any:
        """Fill with 0/1: one with probability ``p`` (a float, or a tensor broadcast here)."""
        data = _writable(self, "bernoulli_")
        engine = engine_of(generator)
        if isinstance(p, TensorBase):
            probs = np.broadcast_to(p._data, data.shape)
            return _store(self, kernels.bernoulli_tensor(engine, probs).astype(data.dtype))
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        return _store(self, kernels.bernoulli_scalar(engine, data.size, p).astype(data.dtype))

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Any:
        """A new 0/1 tensor: each entry one with probability of this tensor's entry (or p)."""
        return bernoulli(self, p, generator=generator)

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with draws of Exp(lambd)."""
        data = _writable(self, "exponential_")
        floating("exponential_cpu", data.dtype)
        if not lambd > 0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
        values = kernels.exponential(engine_of(generator), data.size, data.dtype, lambd)
        return _store(self, values)

    def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with draws of the Cauchy distribution (location ``median``, scale ``sigma``)."""
        data = _writable(self, "cauchy_")
        if not sigma > 0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
        if data.dtype.kind != "f":
            raise RuntimeError("Cauchy distribution is a continuous probability distribution. "
                               f"dtype must be a floating point but you specified {data.dtype}")
        values = kernels.cauchy(engine_of(generator), data.size, data.dtype, median, sigma)
        return _store(self, values)

    def geometric_(self, p: float, *, generator: Any = None) -> Any:
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
        data = _writable(self, "geometric_")
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        return _store(self, kernels.geometric(engine_of(generator), data.size, data.dtype, p))

    def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator: Any = None) -> Any:
        """Fill with ``exp`` of N(mean, std**2) draws."""
        data = _writable(self, "log_normal_")
        if not std > 0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
        floating("log_normal_cpu", data.dtype)
        values = kernels.log_normal(engine_of(generator), data.size, data.dtype, mean, std)
        return _store(self, values)


__all__ = ["RandomMethods"]
