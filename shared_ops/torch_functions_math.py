"""Functions of the ``torch`` namespace of issue 16's third batch, written over the shared ops
with PyTorch's signatures (so both modes and autograd get them): ``diag_embed``,
``atleast_1d/2d/3d``, ``chain_matmul``, ``float_power``, ``deg2rad``, ``rad2deg``, ``renorm``,
``vander``, ``unique_consecutive``, ``as_strided`` and ``is_nonzero``; the Tensor methods of
those that torch has as methods are registered in `tensor_api_core.METHODS` here too, with
``gcd``, ``lcm``, ``heaviside``, ``nextafter``, the shifts and the ``<<``/``>>`` operators
(`ops.bit_math`), and the entries for graph values of ``untyped_storage``, ``storage`` and
``bfloat16`` (they raise: eager tensors define their own).

    >>> import numpy as np
    >>> diag_embed(np.array([1.0, 2.0]), offset=1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import dtypes as dt
from .linalg_api import multi_dot
from .tensor_api_core import METHODS, method, op, shape_of, wrap_dim


def _zero_of(x: Any) -> np.ndarray:
    return np.zeros((), np.dtype(x.dtype))


def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:  # noqa: A002
    """The last dim of ``input`` as the ``offset`` diagonal of the matrices in the plane
    (``dim1``, ``dim2``) of a result one dim larger; zeros elsewhere."""
    rank = len(shape_of(input)) + 1
    d1, d2 = wrap_dim(dim1, rank), wrap_dim(dim2, rank)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = shape_of(input)[-1] if rank > 1 else 1
    if rank == 1:
        input = op("reshape")(input, shape=(1,))  # noqa: A001
    n = size + abs(offset)
    padded = op("pad")(input, pad_width=((0, 0),) * (rank - 2) + ((0, abs(offset)),))
    # Entry (i, j) of the plane is on the diagonal when j - i == offset; it holds padded[i]
    # (offset >= 0) or padded[j] (offset < 0). where(), not a product with the identity, so an
    # inf or nan on the diagonal leaves zeros off it.
    mask = np.eye(n, k=offset, dtype=bool)
    along = op("expand_dims")(padded, axis=-1 if offset >= 0 else -2)
    plane = op("where")(mask, along, _zero_of(input))
    return METHODS["movedim"](plane, (-2, -1), (d1, d2))


def _atleast(name: str, shape_for):
    def fn(*tensors: Any) -> Any:
        many = len(tensors) != 1 or isinstance(tensors[0], list | tuple)
        values = tensors[0] if len(tensors) == 1 and many else tensors
        out = tuple(x if len(shape_of(x)) >= len(shape_for(()))
                    else op("reshape")(x, shape=shape_for(tuple(shape_of(x))))
                    for x in values)
        return out if many else out[0]

    fn.__name__ = fn.__qualname__ = name
    return fn


atleast_1d = _atleast("atleast_1d", lambda s: s or (1,))
atleast_1d.__doc__ = "Each input with at least 1 dim (a 0-d one becomes (1,))."
atleast_2d = _atleast("atleast_2d", lambda s: (1,) * (2 - len(s)) + s if len(s) < 2 else s)
atleast_2d.__doc__ = "Each input with at least 2 dims: 0-d becomes (1, 1), (n,) becomes (1, n)."
atleast_3d = _atleast("atleast_3d", lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,),
                                               2: s + (1,)}.get(len(s), s))
atleast_3d.__doc__ = ("Each input with at least 3 dims: 0-d becomes (1, 1, 1), (n,) becomes "
                      "(1, n, 1), (m, n) becomes (m, n, 1).")


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


def _angle(name: str, factor: float, doc: str):
    def fn(input: Any) -> Any:  # noqa: A002
        x = input if np.dtype(input.dtype).kind == "f" else \
            op("cast")(input, dtype=dt.default_float())
        return op("mul")(x, factor)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


deg2rad = _angle("deg2rad", np.pi / 180.0, "Degrees to radians (integers become float).")
rad2deg = _angle("rad2deg", 180.0 / np.pi, "Radians to degrees (integers become float).")


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Any:  # noqa: A002
    """Each slice of ``input`` along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled to
    norm ``maxnorm`` (PyTorch's ``maxnorm / (norm + 1e-7)``); the others unchanged."""
    rank = len(shape_of(input))
    d = wrap_dim(dim, rank)
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if rank <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {rank} dimensions")
    others = tuple(i for i in range(rank) if i != d)
    norm = op("vector_norm")(input, ord=p, dim=others, keepdim=True)
    factor = op("where")(op("gt")(norm, maxnorm),
                         op("div")(maxnorm, op("add")(norm, 1e-7)), 1.0)
    return op("mul")(input, op("cast")(factor, dtype=np.dtype(input.dtype)))


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
        out = METHODS["cumprod"](op("concat")([ones, powers], axis=1), 1)
    return out if increasing else METHODS["flip"](out, 1)


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


def as_strided(input: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Any:  # noqa: A002
    """The elements of ``input`` (in C order, which is its storage) at ``storage_offset +
    sum(i_k * stride_k)`` for each index of ``size``: a gather, so it is differentiable and
    works in every mode, but the result is a copy (PyTorch's is a view of the storage)."""
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    offset = 0 if storage_offset is None else int(storage_offset)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride) or any(n < 0 for n in size):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    numel = int(np.prod(shape_of(input), dtype=np.int64))
    index = np.full(size, offset, np.int64)
    for k, (n, s) in enumerate(zip(size, stride, strict=True)):
        index = index + (np.arange(n, dtype=np.int64) * s).reshape((-1,) + (1,) * (
            len(size) - k - 1))
    needed = int(index.max()) + 1 if index.size else 0
    if needed > numel:
        itemsize = np.dtype(input.dtype).itemsize
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {itemsize} requiring a storage size "
                           f"of {needed * itemsize} are out of bounds for storage of size "
                           f"{numel * itemsize}")
    return op("getitem")(op("reshape")(input, shape=(-1,)), index)


# --- Tensor methods ----------------------------------------------------------------------------
for _fn in (diag_embed, float_power, deg2rad, rad2deg, renorm, unique_consecutive, as_strided):
    method(_fn.__name__)(_fn)


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
