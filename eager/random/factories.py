"""Random tensor factories as PyTorch's (``rand``, ``randn``, ``randint``, ``randperm``, their
``_like`` forms, ``normal``, ``bernoulli``), drawing PyTorch's numbers from a `Generator`.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> rand(2)
    tensor([0.4963, 0.7682])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops import limits
from shared_ops.device import check_device
from shared_ops.errors import user_location

from ..tensor_base import TensorBase, check_dtype, wrap_array
from . import kernels, sampling
from .generator import engine_of
from .layout import empty_like_layout, memory_view

# ATen's names for dtypes, as its "not implemented for 'Long'" errors print them.
SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                "bool": "Bool"}


def scalar_name(dtype: np.dtype) -> str:
    """``np.dtype('int64')`` -> ``'Long'`` (ATen's ScalarType name)."""
    return SCALAR_NAMES.get(np.dtype(dtype).name, np.dtype(dtype).name)


def shape_of(size: tuple) -> tuple[int, ...]:
    """``rand(2, 3)``, ``rand((2, 3))`` and ``rand([2, 3])`` as one shape, checked."""
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    shape = tuple(int(d) for d in size)
    if any(d < 0 for d in shape):
        negative = next(d for d in shape if d < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"{list(shape)}")
    return shape


def checked(op: str, shape: tuple[int, ...], dtype: np.dtype) -> tuple[int, ...]:
    """``shape`` within the element limit (refused before NumPy allocates it)."""
    try:
        limits.check_shape(op, shape, dtype)
    except limits.SizeLimitError as e:
        raise e.with_location(user_location()) from None
    return shape


def floating(kernel: str, dtype: np.dtype) -> np.dtype:
    """``dtype`` if floating, else ATen's NotImplementedError naming ``kernel``."""
    if dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')
    return dtype


def _finish(array: np.ndarray, requires_grad: bool) -> TensorBase:
    t = wrap_array(array)
    if requires_grad:
        t.requires_grad = True
    return t


def rand(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False,
         device: Any = None) -> TensorBase:
    """Uniform on [0, 1) (the default float, float32, unless ``dtype``); a complex dtype draws
    its (real, imag) pairs, as torch does."""
    if dtype is not None and check_dtype(dtype).kind == "c":
        return _complex_draw(rand, size, generator, dtype, requires_grad, device, 1.0)
    return _floating_draw("rand", "check_uniform_bounds", _uniform, size, generator,
                          dtype, requires_grad, device)


def randn(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False,
          device: Any = None) -> TensorBase:
    """Standard normal (the default float, float32, unless ``dtype``); complex: each part of
    variance 1/2, as torch's."""
    if dtype is not None and check_dtype(dtype).kind == "c":
        return _complex_draw(randn, size, generator, dtype, requires_grad, device, 0.5 ** 0.5)
    return _floating_draw("randn", "normal_kernel_cpu", _standard_normal, size, generator, dtype,
                          requires_grad, device)


def _complex_draw(factory: Any, size: tuple, generator: Any, dtype: Any, requires_grad: bool,
                  device: Any, scale: float) -> TensorBase:
    """A complex draw as torch's: the real draw of its (real, imag) pairs, scaled."""
    dtype = check_dtype(dtype)
    pairs = factory(*shape_of(size), 2, generator=generator, dtype=dt.real_part(dtype),
                    device=device)._data
    if scale != 1.0:
        pairs = pairs * pairs.dtype.type(scale)
    return _finish(np.ascontiguousarray(pairs).view(dtype)[..., 0], requires_grad)


def _uniform(engine: Any, count: int, dtype: np.dtype, contiguous: bool) -> np.ndarray:
    # uniform_ has one path whatever the layout: only the order of the draws depends on it.
    return kernels.uniform(engine, count, dtype)


def _standard_normal(engine: Any, count: int, dtype: np.dtype, contiguous: bool) -> np.ndarray:
    return kernels.normal(engine, count, dtype, contiguous=contiguous)


def _floating_draw(name: str, kernel: str, draw: Any, size: tuple, generator: Any, dtype: Any,
                   requires_grad: bool, device: Any, like: np.ndarray | None = None
                   ) -> TensorBase:
    """``draw(engine, count, dtype, contiguous)`` shaped as ``size``: the checks of `rand` and
    `randn`, whose errors name ``name`` and (for a non-floating dtype) ATen's ``kernel``.
    ``like``: the ``*_like`` forms' input, whose layout the result keeps and whose memory
    order the draws follow (PyTorch's ``empty_like(input).uniform_()``)."""
    check_device(device, creating=True)
    dtype = floating(kernel, dt.DEFAULT_FLOAT if dtype is None else check_dtype(dtype))
    shape = checked(name, shape_of(size), dtype)
    out = np.empty(shape, dtype) if like is None else empty_like_layout(like, dtype)
    target = memory_view(out)
    target[...] = draw(engine_of(generator), out.size, dtype,
                       bool(out.flags.c_contiguous)).reshape(target.shape)
    return _finish(out, requires_grad)


def _bounds(low: Any, high: Any, size: Any) -> tuple[int, int, Any]:
    """``randint(high, size)``, ``randint(low, high, size)`` and keyword forms."""
    if size is None:
        if isinstance(high, tuple | list):
            low, high, size = 0, low, high
        else:
            raise TypeError("randint() missing 1 required positional arguments: \"size\"")
    if high is None:
        low, high = 0, low
    return int(low), int(high), size


def integers_into(shape: tuple[int, ...], low: int, high: int, dtype: np.dtype,
                  generator: Any) -> np.ndarray:
    """``random_(low, high)`` values for a new array of ``shape`` and ``dtype``."""
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    if dtype.kind in "iu" and (high - 1 > np.iinfo(dtype).max or low < np.iinfo(dtype).min):
        raise RuntimeError(f"to - 1 is out of bounds for {np.dtype(dtype).name[:-2] or 'int'}")
    values = kernels.integers(engine_of(generator), math.prod(shape), low, high, dtype)
    return values.reshape(shape)


def randint(low: Any = 0, high: Any = None, size: Any = None, *, generator: Any = None,
            dtype: Any = None, requires_grad: bool = False, device: Any = None) -> TensorBase:
    """Integers in [low, high) (int64 unless ``dtype``): ``randint(10, (3,))``,
    ``randint(3, 10, (2, 2))``."""
    check_device(device, creating=True)
    low, high, size = _bounds(low, high, size)
    dtype = dt.int64 if dtype is None else check_dtype(dtype)
    shape = checked("randint", shape_of((size,)), dtype)
    return _finish(integers_into(shape, low, high, dtype, generator), requires_grad)


def randperm(n: int, *, generator: Any = None, dtype: Any = None, requires_grad: bool = False,
             device: Any = None) -> TensorBase:
    """A random permutation of ``0 .. n - 1`` (int64 unless ``dtype``)."""
    check_device(device, creating=True)
    dtype = dt.int64 if dtype is None else check_dtype(dtype)
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    checked("randperm", (int(n),), dtype)
    values = np.asarray(sampling.randperm(int(n), engine_of(generator)), dtype=dtype)
    return _finish(values, requires_grad)


def rand_like(input: TensorBase, *, dtype: Any = None, requires_grad: bool = False,  # noqa: A002
              device: Any = None, generator: Any = None) -> TensorBase:
    """``rand`` shaped (and typed, unless ``dtype``) like ``input``."""
    return _floating_draw("rand_like", "check_uniform_bounds", _uniform, tuple(input.shape),
                          generator, dtype or input.dtype, requires_grad, device, input._data)


def randn_like(input: TensorBase, *, dtype: Any = None, requires_grad: bool = False,  # noqa: A002
               device: Any = None, generator: Any = None) -> TensorBase:
    """``randn`` shaped (and typed, unless ``dtype``) like ``input``."""
    return _floating_draw("randn_like", "normal_kernel_cpu", _standard_normal,
                          tuple(input.shape), generator, dtype or input.dtype, requires_grad,
                          device, input._data)


def randint_like(input: TensorBase, low: Any = 0, high: Any = None, *,  # noqa: A002
                 dtype: Any = None, requires_grad: bool = False, device: Any = None,
                 generator: Any = None) -> TensorBase:
    """``randint`` shaped (and typed, unless ``dtype``) like ``input``: ``randint_like(x, 5)``
    or ``randint_like(x, 3, 5)``."""
    check_device(device, creating=True)
    if high is None:
        low, high = 0, low
    dtype = check_dtype(dtype) if dtype is not None else input.dtype
    out = empty_like_layout(input._data, dtype)  # input's layout, drawn in its memory order
    target = memory_view(out)
    target[...] = integers_into(target.shape, int(low), int(high), dtype, generator)
    return _finish(out, requires_grad)


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Any = None,
           dtype: Any = None, requires_grad: bool = False, device: Any = None) -> TensorBase:
    """``torch.normal``: floats ``mean`` and ``std`` with a ``size``, or tensors (broadcast):
    standard normals scaled by ``std`` and shifted by ``mean``, as ATen computes them."""
    check_device(device, creating=True)
    tensors = [v for v in (mean, std) if isinstance(v, TensorBase)]
    if not tensors:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: floats "
                            "mean and std need a size")
        dtype = floating("normal_kernel_cpu",
                         dt.DEFAULT_FLOAT if dtype is None else check_dtype(dtype))
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        shape = checked("normal", shape_of((size,)), dtype)
        values = kernels.normal(engine_of(generator), math.prod(shape), dtype, mean, std)
        return _finish(values.reshape(shape), requires_grad)
    m = mean._data if isinstance(mean, TensorBase) else np.asarray(mean)
    s = std._data if isinstance(std, TensorBase) else np.asarray(std)
    if isinstance(std, TensorBase) and s.size and (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    out_dtype = tensors[0].dtype
    shape = np.broadcast_shapes(m.shape, s.shape)
    engine = engine_of(generator)
    if not isinstance(std, TensorBase):  # ATen: normal_(0, std), then add_(mean)
        base = kernels.normal(engine, math.prod(shape), out_dtype, 0.0, float(std))
        values = base.reshape(shape) + m.astype(out_dtype)
    else:  # ATen: normal_(0, 1), then mul_(std).add_(mean)
        base = kernels.normal(engine, math.prod(shape), out_dtype).reshape(shape)
        values = base * s.astype(out_dtype) + m.astype(out_dtype)
    return _finish(values.astype(out_dtype), requires_grad)


def bernoulli(input: TensorBase, p: float | None = None, *,  # noqa: A002
              generator: Any = None) -> TensorBase:
    """0/1 draws of ``input``'s dtype: each with probability ``input``'s entry, or ``p``."""
    engine = engine_of(generator)
    data = input._data
    if p is None:
        if data.size and not ((data >= 0) & (data <= 1)).all():
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
        return wrap_array(kernels.bernoulli_tensor(engine, data).astype(data.dtype))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return wrap_array(kernels.bernoulli_scalar(engine, data.size, p).reshape(data.shape)
                      .astype(data.dtype))


def multinomial(input: TensorBase, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: Any = None) -> TensorBase:
    """``torch.multinomial``: int64 category indices per row of (unnormalised) weights."""
    return wrap_array(sampling.multinomial(np.asarray(input._data), int(num_samples),
                                           bool(replacement), engine_of(generator)))


__all__ = ["bernoulli", "multinomial", "normal", "rand", "rand_like", "randint",
           "randint_like", "randn", "randn_like", "randperm"]
