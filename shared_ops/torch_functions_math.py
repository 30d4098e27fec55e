"""Functions of the ``torch`` namespace of issue 16's third batch, written over the shared ops
with PyTorch's signatures (so both modes and autograd get them): ``atleast_1d/2d/3d``,
``chain_matmul``, ``float_power``, ``vander``, ``unique_consecutive`` and ``is_nonzero``, with
``diag_embed``, ``deg2rad``, ``rad2deg``, ``renorm`` and ``as_strided`` from
`ops.torch_composites` (composites named as PyTorch names their backward). The Tensor methods
of those torch has as methods are registered in `tensor_api_core.METHODS` here, with ``gcd``,
``lcm``, ``heaviside``, ``nextafter``, the shifts and the ``<<``/``>>`` operators
(`ops.bit_math`), and the entries for graph values of ``untyped_storage``, ``storage`` and
``bfloat16`` (they raise: eager tensors define their own).

    >>> import numpy as np
    >>> vander(np.array([1, 2, 3]), 3).tolist()
    [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .linalg_api import multi_dot
from .ops.torch_composites import as_strided, deg2rad, diag_embed, rad2deg, renorm
from .tensor_api_core import METHODS, method, op, shape_of, wrap_dim


def _unsqueezed(x: Any, axes: tuple[int, ...]) -> Any:
    for axis in axes:
        x = op("expand_dims")(x, axis=axis)
    return x


def _atleast(name: str, rank: int, doc: str):
    # What PyTorch does to each rank below ``rank``: a 0-d value is reshaped, others unsqueezed
    # (so the backward entries are torch's: ViewBackward0, UnsqueezeBackward0).
    unsqueeze = {1: {}, 2: {1: (0,)}, 3: {1: (0, -1), 2: (-1,)}}[rank]

    def one(x: Any) -> Any:
        n = len(shape_of(x))
        if n >= rank:
            return x
        return op("reshape")(x, shape=(1,) * rank) if n == 0 else _unsqueezed(x, unsqueeze[n])

    def fn(*tensors: Any) -> Any:
        many = len(tensors) != 1 or isinstance(tensors[0], list | tuple)
        values = tensors[0] if len(tensors) == 1 and many else tensors
        out = tuple(one(x) for x in values)
        return out if many else out[0]

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


atleast_1d = _atleast("atleast_1d", 1, "Each input with at least 1 dim (a 0-d one becomes "
                      "(1,)); one tensor, or a tuple for several or a sequence.")
atleast_2d = _atleast("atleast_2d", 2, "Each input with at least 2 dims: 0-d becomes (1, 1), "
                      "(n,) becomes (1, n).")
atleast_3d = _atleast("atleast_3d", 3, "Each input with at least 3 dims: 0-d becomes (1, 1, 1), "
                      "(n,) becomes (1, n, 1), (m, n) becomes (m, n, 1).")


def chain_matmul(*matrices: Any) -> Any:
    """The product of the 2-d ``matrices`` in the cheapest order (PyTorch's deprecated
    spelling of ``linalg.multi_dot``, with its warning)."""
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.", UserWarning, stacklevel=2)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if len(shape_of(m)) != 2:
            raise RuntimeError(f"Tensor dimension is {len(shape_of(m))}, expected 2 instead.")
    if len(matrices) == 1:
        return op("mul")(matrices[0], 1)  # a new value, as PyTorch's clone
    return multi_dot(list(matrices))


def _float64(x: Any) -> Any:
    if hasattr(x, "dtype"):
        return x if np.dtype(x.dtype) == np.float64 else op("cast")(x, dtype=np.dtype("float64"))
    return np.asarray(x, np.float64)


def float_power(input: Any, exponent: Any) -> Any:  # noqa: A002
    """``input ** exponent`` in double precision (both cast to float64 first)."""
    if not hasattr(input, "dtype") and not hasattr(exponent, "dtype"):
        raise TypeError("float_power(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return op("pow")(_float64(input), _float64(exponent))


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Any:  # noqa: N803
    """The Vandermonde matrix of the 1-d ``x``: columns ``x ** (N - 1)`` ... ``x ** 0``
    (``increasing``: the other way), as running products, as PyTorch computes it; integer
    and bool inputs give int64."""
    if len(shape_of(x)) != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = shape_of(x)[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if np.dtype(x.dtype).kind in "biu":
        x = op("cast")(x, dtype=np.dtype("int64"))
    rows = shape_of(x)[0]
    ones = op("full_like")(op("reshape")(x, shape=(rows, 1)), 1)
    if n <= 1:
        out = op("getitem")(ones, (slice(None), slice(0, n)))
    else:
        powers = op("broadcast_to")(op("reshape")(x, shape=(rows, 1)), shape=(rows, n - 1))
        out = op("cumprod")(op("concat")([ones, powers], axis=1), dim=1)
    return out if increasing else op("flip")(out, dims=(1,))


def unique_consecutive(input: Any, return_inverse: bool = False,  # noqa: A002
                       return_counts: bool = False, dim: int | None = None) -> Any:
    """The first of each run of equal consecutive values (``dim``: of equal slices along it),
    with the run each element belongs to (``return_inverse``) and each run's length
    (``return_counts``), as ``torch.unique_consecutive``; every NaN starts a run."""
    shape = shape_of(input)
    if dim is None:
        flat = op("reshape")(input, shape=(-1,))
        lead = flat
    else:
        d = wrap_dim(dim, len(shape))
        rest = [n for i, n in enumerate(shape) if i != d]
        # -1 cannot stand for the rest when there are no slices to divide by.
        width = int(np.prod(rest)) if None not in rest else -1
        lead = op("reshape")(METHODS["movedim"](input, d, 0), shape=(shape[d], width)) \
            if len(shape) else op("reshape")(input, shape=(1, 1))
    size = shape_of(lead)[0]
    starts = op("ne")(op("getitem")(lead, slice(1, None)), op("getitem")(lead, slice(0, -1)))
    if dim is not None:
        starts = op("gt")(op("sum")(op("cast")(starts, dtype=np.dtype("int64")), axis=1), 0)
    first = np.ones(min(size, 1), bool)
    mask = op("concat")([first, starts], axis=0)
    positions = op("reshape")(op("argwhere")(mask), shape=(-1,))
    if dim is None:
        values = op("getitem")(flat, positions)
    else:
        values = METHODS["index_select"](input, d, positions) if len(shape) else input
    extra = []
    if return_inverse:
        inverse = op("sub")(METHODS["cumsum"](op("cast")(mask, dtype=np.dtype("int64")), 0), 1)
        extra.append(op("reshape")(inverse, shape=shape) if dim is None else inverse)
    if return_counts:
        ends = op("concat")([op("getitem")(positions, slice(1, None)),
                             np.full(min(size, 1), size, np.int64)], axis=0)
        extra.append(op("sub")(ends, positions))
    return (values, *extra) if extra else values


# --- Tensor methods ----------------------------------------------------------------------------
def _method_of(function: Any):
    """The Tensor method calling ``function`` (a composite is no descriptor: it would not
    receive ``self``)."""

    def fn(self, *args: Any, **kwargs: Any) -> Any:
        return function(self, *args, **kwargs)

    fn.__doc__ = f"``torch.{function.__name__}(self, ...)``: {function.__doc__}"
    return fn


for _fn in (diag_embed, float_power, deg2rad, rad2deg, renorm, unique_consecutive, as_strided):
    method(_fn.__name__)(_method_of(_fn))


def _binary_method(op_name: str, reflected: bool = False):
    def fn(self, other):
        return op(op_name)(other, self) if reflected else op(op_name)(self, other)

    fn.__doc__ = f"``torch.{op_name}({'other, self' if reflected else 'self, other'})``."
    return fn


for _name in ("gcd", "lcm", "heaviside", "nextafter"):
    method(_name)(_binary_method(_name))
method("bitwise_left_shift", "__lshift__")(_binary_method("bitwise_left_shift"))
method("bitwise_right_shift", "__rshift__")(_binary_method("bitwise_right_shift"))
method("__rlshift__")(_binary_method("bitwise_left_shift", reflected=True))
method("__rrshift__")(_binary_method("bitwise_right_shift", reflected=True))


# --- truth, storage and bfloat16 ------------------------------------------------------------
def is_nonzero(input: Any) -> bool:  # noqa: A002
    """The truth of a one-element tensor (PyTorch's RuntimeError for none or several); a graph
    value has no value to test while it is built (its ``item()`` says so)."""
    n = int(np.prod(shape_of(input))) if None not in shape_of(input) else 1
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item() != 0)


def _valueless(name: str, what: str):
    """The table's ``name``, for values that have no ``what`` (a graph value while it is
    built): it raises, saying so. Eager tensors define their own, found first."""

    def fn(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{name}(): a graph value has no {what} while the graph is built; "
                        "fetch it with Session.run, or run the code in eager mode")

    fn.__doc__ = f"Not available on a graph value (no {what}); eager tensors answer it."
    return fn


@method("is_pinned")
def _is_pinned(self, device: Any = None) -> bool:
    """False: no memory is page-locked for an accelerator here (PyTorch's CPU build)."""
    return False


@method("pin_memory")
def _pin_memory(self, device: Any = None) -> Any:
    """Raises, as PyTorch's CPU build does: pinning is for copies to an accelerator."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


method("is_nonzero")(is_nonzero)
method("untyped_storage")(_valueless("untyped_storage", "storage"))
method("storage")(_valueless("storage", "storage"))
method("bfloat16")(_valueless("bfloat16", "bfloat16 type (NumPy has none)"))

__all__ = ["diag_embed", "atleast_1d", "atleast_2d", "atleast_3d", "chain_matmul", "float_power",
           "deg2rad", "rad2deg", "renorm", "vander", "unique_consecutive", "as_strided",
           "is_nonzero"]
