"""The table of PyTorch-style Tensor methods, and the helpers its entries share.

`METHODS` maps a method name (``sum``, ``view``, ``__add__``) to a function of ``self`` with
PyTorch's signature, written with shared ops only, so the same function is a method of any
mode's value type: on an eager Tensor it computes, on a static Node it stages. Entries are
registered with `method` by `tensor_api_math`, `tensor_api_select` and `tensor_api_shape`;
`shared_ops.tensor_api` makes a class of them (`methods_class`). What a mode must answer
itself (its sizes, its storage, its autograd) is listed in `tensor_api.MODE_SPECIFIC`.

Arguments are translated here once: ``dim`` -> ``axis`` (a list of dims -> a tuple),
``keepdim`` -> ``keepdims``, varargs or one sequence for shapes. Reductions also take NumPy's
``axis=``/``keepdims=`` spellings (torch accepts ``axis=`` too).

Sizes in shape arguments may be ints or *dynamic sizes*: objects with a
``size_expression()`` method (a static graph's ``x.size(0)`` when the batch is unknown) whose
expression is the `runtime_shape` language with ``("dim", value, axis)`` leaves naming the
value itself; `size_template` turns them into an op's size template and shape sources.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from . import dtypes as dt
from .device import CPU, check_device, device  # noqa: F401  (re-exported to tensor_api)
from .op_table import OPS

METHODS: dict[str, Callable[..., Any]] = {}
PROPERTIES: frozenset[str] = frozenset({"T", "mT", "mH", "H", "device", "is_cuda", "itemsize",
                                        "nbytes", "layout", "is_sparse", "real", "imag"})


def method(*names: str) -> Callable:
    """Register the decorated function as the Tensor method(s) ``names``."""

    def wrap(fn: Callable) -> Callable:
        fn.__name__ = fn.__qualname__ = names[0]
        for name in names:
            if name in METHODS:
                raise ValueError(f"Tensor method {name!r} is already in the table")
            METHODS[name] = fn
        return fn

    return wrap


def op(name: str) -> Any:
    """The shared op ``name`` (looked up when called: every op is registered by then)."""
    return OPS[name]


def named_node(out: Any, name: str) -> Any:
    """``out`` with the node eager recorded for it named ``name``: PyTorch names the node by
    the call (``w.T`` PermuteBackward0, ``w.t()`` TBackward0; ``x.rsqrt()`` RsqrtBackward0
    where eager composes a div and a sqrt). Staged values have none."""
    grad_fn = getattr(out, "grad_fn", None)
    if grad_fn is not None:
        grad_fn.torch_name = name
    return out


def shape_of(x) -> tuple:
    """The static shape of any mode's value: ints, None where unknown until run time (a
    graph value's ``.shape`` to framework code)."""
    return tuple(x.shape)


def wrap_dim(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-d value (a 0-d one takes 0 and -1), else
    PyTorch's IndexError.

        >>> wrap_dim(-1, 3), wrap_dim(-1, 0)
        (2, 0)
    """
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, "
                         f"{rank - 1}], but got {dim})")
    return dim % rank


# PyTorch's C++ scalar type names, which its kernels' errors print ("... for 'Long'").
_SCALAR_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                 "int32": "Int", "int64": "Long", "float16": "Half", "float32": "Float",
                 "float64": "Double", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def scalar_type_name(dtype: Any) -> str:
    """ATen's name of a dtype, as PyTorch's errors print it.

        >>> scalar_type_name(np.dtype(np.int64))
        'Long'
    """
    name = str(np.dtype(dtype))
    return _SCALAR_NAMES.get(name, name)


def dims_arg(dim: Any) -> Any:
    """A ``dim`` argument as an op's ``axis``: lists become tuples (attrs are hashable)."""
    return tuple(dim) if isinstance(dim, list) else dim


def reduce_args(name: str, dim, keepdim: bool, kwargs: dict) -> tuple[Any, bool]:
    """``dim``/``keepdim`` with NumPy's ``axis``/``keepdims`` accepted as aliases."""
    if "axis" in kwargs:
        dim = kwargs.pop("axis")
    if "keepdims" in kwargs:
        keepdim = kwargs.pop("keepdims")
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    return dims_arg(dim), bool(keepdim)


def is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def cast_to(x, dtype) -> Any:
    """``x`` in ``dtype`` (the same value when it already is)."""
    dtype = dt.as_dtype(dtype, op="to")
    return x if x.dtype == dtype else op("cast")(x, dtype=dtype)


# --- sizes -------------------------------------------------------------------------------------
def keyword_varargs(*names: str, each: bool = False) -> Callable[[Callable], Callable]:
    """Let a ``(self, *args)`` method take torch's keyword spelling too: with ``each=False`` any
    one of ``names`` holds all the args as one value (``x.flip(dims=(1,))``, ``x.view(size=s)``);
    with ``each=True`` the names are the args in order (``x.transpose(dim0=0, dim1=2)``)."""
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def call(self, *args, **kwargs):
            given = [n for n in names if n in kwargs]
            if not given:
                return fn(self, *args, **kwargs)
            if not each:
                if args or len(given) > 1:
                    raise TypeError(f"{fn.__name__.lstrip('_')}() got multiple values for "
                                    f"argument {given[-1]!r}")
                return fn(self, kwargs.pop(given[0]), **kwargs)
            rest = names[len(args):]
            missing = [n for n in rest if n not in kwargs]
            if missing or len(given) > len(rest):
                raise TypeError(f"{fn.__name__.lstrip('_')}() takes arguments "
                                f"{', '.join(names)}; missing or repeated: "
                                f"{', '.join(missing) or ', '.join(given)}")
            return fn(self, *args, *(kwargs.pop(n) for n in rest), **kwargs)
        return call
    return wrap


def sizes_arg(sizes: tuple) -> tuple:
    """``view(2, 3)``, ``view((2, 3))`` and ``view(x.size())`` all mean the sizes (2, 3)."""
    if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
        return tuple(sizes[0])
    return sizes


def is_dynamic(size: Any) -> bool:
    """A size known only at run time (it has a ``size_expression``)."""
    return hasattr(size, "size_expression")


def size_template(x, sizes, what: str) -> tuple[tuple, list]:
    """``(template, sources)`` for an op taking a size template (`runtime_shape`): ints stay,
    dynamic sizes become expressions whose dims refer to ``x`` (input 0) or to a shape source
    (input 1, 2...); ``sources`` lists those values in order. With ``x`` None (an op whose
    inputs are all shape sources, `arange_dims`) the sources are inputs 0, 1..."""
    sources: list = []
    first = 0 if x is None else 1

    def leaf(value, axis: int) -> tuple:
        if value is x:
            return ("dim", 0, axis)
        for j, s in enumerate(sources):
            if s is value:
                return ("dim", j + first, axis)
        sources.append(value)
        return ("dim", len(sources) - 1 + first, axis)

    def convert(e):
        if isinstance(e, tuple):
            return leaf(e[1], e[2]) if e[0] == "dim" else (e[0],) + tuple(convert(a)
                                                                          for a in e[1:])
        return int(e)

    entries = []
    for k, s in enumerate(sizes):
        if is_dynamic(s):
            entries.append(convert(s.size_expression()))
        elif is_int(s):
            entries.append(int(s))
        elif s is None:
            raise TypeError(f"{what}: size {k} is None (a dim unknown while the graph is "
                            f"built); pass x.size(dim) or x.shape[dim], which stand for it, "
                            f"or -1 where the size can be inferred")
        else:
            raise TypeError(f"{what}: size {k} must be an int, got {type(s).__name__} {s!r:.40}")
    return tuple(entries), sources


# --- results and devices -----------------------------------------------------------------------
class _ValuesIndices(NamedTuple):
    values: Any
    indices: Any


class MaxResult(_ValuesIndices):
    """``(values, indices)`` of ``x.max(dim)``, printed as ``torch.return_types.max``."""

    _name = "max"

    def __repr__(self) -> str:
        return (f"torch.return_types.{self._name}(\nvalues={self.values!r},\n"
                f"indices={self.indices!r})")


class MinResult(MaxResult):
    _name = "min"


class SortResult(MaxResult):
    _name = "sort"


class TopkResult(MaxResult):
    _name = "topk"
