"""Every shared op as an ``eager.<name>`` function with PyTorch's names and signatures.

The functions translate PyTorch's argument conventions (``dim``/``keepdim``, ``clamp``,
``cat``, ``max(x, dim)`` returning values and indices) to the shared ops' NumPy-style ones
(``axis``/``keepdims``) and call the op objects, so everything goes through the dispatcher:
on Tensors they run eagerly and record for backward, on static Nodes they stage into a graph.

    >>> import eager
    >>> eager.max(eager.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    torch.return_types.max(
    values=tensor([5., 7.]),
    indices=tensor([1, 0]))
"""

from __future__ import annotations

from typing import Any, NamedTuple

from shared_ops.registry import OPS


def op(name: str):
    """The shared op ``name`` (looked up at call time: ops may be registered later)."""
    try:
        return OPS[name]
    except KeyError:
        raise NotImplementedError(f"the shared op {name!r} is not registered") from None


class _ReturnTypes(NamedTuple):
    values: Any
    indices: Any


class max_return(_ReturnTypes):  # noqa: N801
    """``(values, indices)`` of ``max(x, dim)``; prints like ``torch.return_types.max``."""

    _name = "max"

    def __repr__(self) -> str:
        return (f"torch.return_types.{self._name}(\nvalues={self.values!r},\n"
                f"indices={self.indices!r})")


class min_return(max_return):  # noqa: N801
    _name = "min"


def _dims(dim):
    return tuple(dim) if isinstance(dim, list) else dim


# --- elementwise -----------------------------------------------------------------------------
def add(input, other, *, alpha=1):  # noqa: A002 (PyTorch's argument names throughout)
    """``input + alpha * other``."""
    return op("add")(input, other if alpha == 1 else op("mul")(other, alpha))


def sub(input, other, *, alpha=1):  # noqa: A002
    """``input - alpha * other``."""
    return op("sub")(input, other if alpha == 1 else op("mul")(other, alpha))


def mul(input, other):  # noqa: A002
    return op("mul")(input, other)


def div(input, other, *, rounding_mode=None):  # noqa: A002
    """True division; ``rounding_mode="floor"``/``"trunc"`` are not provided."""
    if rounding_mode is not None:
        raise NotImplementedError("div: only true division (rounding_mode=None) is provided")
    return op("div")(input, other)


true_divide = divide = div
multiply = mul
subtract = sub


def pow(input, exponent):  # noqa: A001, A002
    return op("pow")(input, exponent)


def _unary(name: str, doc: str):
    def fn(input):  # noqa: A002
        return op(name)(input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


neg = _unary("neg", "``-input``.")
negative = neg
exp = _unary("exp", "Elementwise e**x.")
log = _unary("log", "Natural logarithm.")
log1p = _unary("log1p", "log(1 + x), accurate for small x.")
sqrt = _unary("sqrt", "Square root.")
abs = _unary("abs", "Absolute value.")  # noqa: A001
sin = _unary("sin", "Sine.")
cos = _unary("cos", "Cosine.")
tanh = _unary("tanh", "Hyperbolic tangent.")
sigmoid = _unary("sigmoid", "Logistic sigmoid 1 / (1 + e**-x).")
relu = _unary("relu", "max(x, 0).")
sign = _unary("sign", "-1, 0 or 1.")


def rsqrt(input):  # noqa: A002
    return op("div")(1.0, op("sqrt")(input))


def square(input):  # noqa: A002
    return op("mul")(input, input)


def maximum(input, other):  # noqa: A002
    return op("maximum")(input, other)


def minimum(input, other):  # noqa: A002
    return op("minimum")(input, other)


def clamp(input, min=None, max=None):  # noqa: A002
    """Clip into ``[min, max]`` (either may be None)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return op("clip")(input, min, max)


clip = clamp


def where(condition, input, other):  # noqa: A002
    """``input`` where ``condition`` holds, else ``other``."""
    return op("where")(condition, input, other)


def _comparison(name: str):
    def fn(input, other):  # noqa: A002
        return op(name)(input, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` comparison; a bool tensor with no gradient."
    return fn


eq, ne, lt, le, gt, ge = (_comparison(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, less = gt, lt


# --- reductions -----------------------------------------------------------------------------
def sum(input, dim=None, keepdim: bool = False, *, dtype=None):  # noqa: A001, A002
    """Sum over ``dim`` (None: all); ``dtype`` casts first, as in PyTorch."""
    if dtype is not None:
        input = op("cast")(input, dtype=_dtype(dtype))  # noqa: A001
    return op("sum")(input, axis=_dims(dim), keepdims=keepdim)


def mean(input, dim=None, keepdim: bool = False, *, dtype=None):  # noqa: A002
    if dtype is not None:
        input = op("cast")(input, dtype=_dtype(dtype))  # noqa: A001
    return op("mean")(input, axis=_dims(dim), keepdims=keepdim)


def var(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: int | None = None):
    """Variance with Bessel's correction by default (``correction=1``), as torch.var."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    return op("var")(input, axis=_dims(dim), correction=correction, keepdims=keepdim)


def std(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: int | None = None):
    return op("sqrt")(var(input, dim, unbiased, keepdim, correction=correction))


def _extremum(name: str, result_type):
    def fn(input, dim=None, keepdim: bool = False):  # noqa: A002
        if dim is None:
            return op(name)(input)
        if not isinstance(dim, int):  # max(a, b): the elementwise form
            return op("maximum" if name == "max" else "minimum")(input, dim)
        values = op(name)(input, axis=dim, keepdims=keepdim)
        indices = op("arg" + name)(input, axis=dim, keepdims=keepdim)
        return result_type(values, indices)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"``{name}(x)``: the {name} of all elements; ``{name}(x, dim)``: a "
                  f"``(values, indices)`` named tuple; ``{name}(x, y)``: elementwise.")
    return fn


max = _extremum("max", max_return)  # noqa: A001
min = _extremum("min", min_return)  # noqa: A001


def amax(input, dim=(), keepdim: bool = False):  # noqa: A002
    return op("max")(input, axis=_dims(dim) if dim != () else None, keepdims=keepdim)


def amin(input, dim=(), keepdim: bool = False):  # noqa: A002
    return op("min")(input, axis=_dims(dim) if dim != () else None, keepdims=keepdim)


def argmax(input, dim=None, keepdim: bool = False):  # noqa: A002
    return op("argmax")(input, axis=dim, keepdims=keepdim)


def argmin(input, dim=None, keepdim: bool = False):  # noqa: A002
    return op("argmin")(input, axis=dim, keepdims=keepdim)


def logsumexp(input, dim, keepdim: bool = False):  # noqa: A002
    return op("logsumexp")(input, axis=_dims(dim), keepdims=keepdim)


def softmax(input, dim: int, dtype=None):  # noqa: A002
    if dtype is not None:
        input = op("cast")(input, dtype=_dtype(dtype))  # noqa: A001
    return op("softmax")(input, axis=dim)


def log_softmax(input, dim: int, dtype=None):  # noqa: A002
    if dtype is not None:
        input = op("cast")(input, dtype=_dtype(dtype))  # noqa: A001
    return op("log_softmax")(input, axis=dim)


def matmul(input, other):  # noqa: A002
    return op("matmul")(input, other)


mm = bmm = matmul


def _dtype(spec):
    from .tensor import check_dtype

    return check_dtype(spec)


# --- shapes ----------------------------------------------------------------------------------
def _shape_arg(shape: tuple) -> tuple:
    """``view(2, 3)`` and ``view((2, 3))`` both mean the shape ``(2, 3)``."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = tuple(shape[0])
    return tuple(int(d) for d in shape)


def reshape(input, *shape):  # noqa: A002
    """``reshape(x, (2, -1))``: one dim may be -1."""
    return op("reshape")(input, shape=_shape_arg(shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):  # noqa: A002
    """Merge dims ``start_dim..end_dim`` into one."""
    shape = tuple(input.shape)
    if not shape:
        return op("reshape")(input, shape=(1,))
    n = len(shape)
    s, e = start_dim % n, end_dim % n
    if s > e:
        raise IndexError("flatten() has invalid args: start_dim cannot come after end_dim")
    merged = 1
    for d in shape[s:e + 1]:
        merged *= d
    return op("reshape")(input, shape=shape[:s] + (merged,) + shape[e + 1:])


def transpose(input, dim0: int, dim1: int):  # noqa: A002
    """Swap two dims."""
    axes = list(range(len(input.shape)))
    axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
    return op("transpose")(input, axes=tuple(axes))


swapaxes = transpose


def permute(input, *dims):  # noqa: A002
    return op("transpose")(input, axes=_shape_arg(dims))


def t(input):  # noqa: A002
    """Transpose a 2-D tensor (0-D and 1-D are returned as is, as in PyTorch)."""
    if len(input.shape) < 2:
        return input
    return transpose(input, 0, 1)


def unsqueeze(input, dim: int):  # noqa: A002
    return op("expand_dims")(input, axis=dim)


def squeeze(input, dim=None):  # noqa: A002
    """Drop size-1 dims; a ``dim`` that is not of size 1 is left alone, as in PyTorch."""
    if dim is None:
        return op("squeeze")(input)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    shape = tuple(input.shape)
    keep = tuple(d for d in dims if shape[d] == 1)
    return op("squeeze")(input, axis=keep)


def expand(input, *sizes):  # noqa: A002
    """Broadcast to ``sizes``; -1 keeps a dim."""
    sizes = _shape_arg(sizes)
    shape = tuple(input.shape)
    lead = len(sizes) - len(shape)
    target = tuple(shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    return op("broadcast_to")(input, shape=target)


broadcast_to = expand


def cat(tensors, dim: int = 0):
    """Join along an existing dim."""
    return op("concat")(list(tensors), axis=dim)


concat = concatenate = cat


def stack(tensors, dim: int = 0):
    """Join along a new dim."""
    return op("stack")(list(tensors), axis=dim)


def split(tensor, split_size_or_sections, dim: int = 0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or given sizes."""
    n = tensor.shape[dim]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
    else:
        sizes = list(split_size_or_sections)
    pieces, start = [], 0
    dim = dim % len(tensor.shape)
    for s in sizes:
        key = (slice(None),) * dim + (slice(start, start + s),)
        pieces.append(op("getitem")(tensor, key))
        start += s
    return tuple(pieces)


def chunk(input, chunks: int, dim: int = 0):  # noqa: A002
    n = input.shape[dim]
    return split(input, -(-n // chunks), dim)


def numel(input) -> int:  # noqa: A002
    n = 1
    for d in input.shape:
        n *= d
    return n


__all__ = [n for n in dir() if not n.startswith("_") and n not in (
    "annotations", "Any", "NamedTuple", "OPS")]
