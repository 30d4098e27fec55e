"""Tensor methods of shape: ``view``/``reshape``, ``flatten``/``unflatten``, ``expand``,
``transpose``/``permute``/``t``, ``squeeze``/``unsqueeze``, ``split``/``chunk``/``unbind``,
``repeat``, the ``*_as`` forms. Entries of `tensor_api_core.METHODS`.

Sizes may be dynamic (see `tensor_api_core.size_template`): then ``view`` and ``expand``
stage `runtime_shape`'s ``reshape_dims``/``broadcast_dims``, whose size templates the
static compiler evaluates per feed shape. ``flatten`` and ``expand``'s -1 name the value's
own dims that way when they are unknown, so ``x.flatten(1)`` on ``f32[?,64,7,7]`` is
``f32[?,3136]`` while building and runs for any batch.

    >>> import warnings

import numpy as np
    >>> _view(np.zeros((2, 3, 4)), 2, -1).shape
    (2, 12)
"""

from __future__ import annotations

import warnings

import numpy as np

from .aval import normalize_axis
from .ops.bitcast import is_dtype_spec, view_as_dtype
from .tensor_api_core import (
    METHODS,
    is_dynamic,
    is_int,
    keyword_varargs,
    method,
    named_node,
    op,
    shape_of,
    size_template,
    sizes_arg,
    wrap_dim,
)


def _own_dim(shape: tuple, axis: int):
    """Dim ``axis`` of the value itself in a size template: its int, or a reference."""
    return shape[axis] if shape[axis] is not None else ("dim", 0, axis)


def _product(entries):
    """The size expression of a product of template entries (an int when all are)."""
    out = 1
    for e in entries:
        if isinstance(out, int) and isinstance(e, int):
            out *= e
        else:
            out = e if out == 1 else ("mul", out, e)
    return out


def _reshaped(x, entries: tuple, sources: list = ()):
    """``x`` reshaped to template entries: the plain ``reshape`` when all are ints."""
    if all(isinstance(e, int) for e in entries):
        return op("reshape")(x, shape=tuple(entries))
    return op("reshape_dims")(x, *sources, dims=tuple(entries))


@method("view", "reshape")
@keyword_varargs("size", "shape")  # view(size=), reshape(shape=)
def _view(self, *shape, dtype=None):
    """This value with a new shape: ints, one -1, or sizes of graph values (``x.size(0)``);
    ``view(dtype)`` reads the bytes as ``dtype`` (`shared_ops.ops.bitcast`)."""
    if dtype is not None:
        return view_as_dtype(self, dtype)
    shape = sizes_arg(shape)
    for s in shape:  # NOTE: written out, the common case costs one op call (eager's view)
        if type(s) is not int:
            break
    else:
        return op("reshape")(self, shape=shape)
    if len(shape) == 1 and is_dtype_spec(shape[0]):
        return view_as_dtype(self, shape[0])
    entries, sources = size_template(self, shape, "view")
    return _reshaped(self, entries, sources)


@method("view_as", "reshape_as")
def _view_as(self, other):
    shape = shape_of(other)
    if None not in shape:
        return op("reshape")(self, shape=shape)
    return op("reshape")(self, other)  # the shape of ``other`` when it runs


@method("flatten")
def _flatten(self, start_dim=0, end_dim=-1):
    """Dims ``start_dim..end_dim`` merged into one."""
    shape = self.shape
    if not shape:
        return op("reshape")(self, shape=(1,))
    n = len(shape)
    s = start_dim % n if -n <= start_dim < n else normalize_axis("flatten", start_dim, n)
    e = end_dim % n if -n <= end_dim < n else normalize_axis("flatten", end_dim, n)
    if s > e:
        raise IndexError("flatten() has invalid args: start_dim cannot come after end_dim")
    if None not in shape:
        merged = 1
        for d in shape[s:e + 1]:
            merged *= d
        return op("reshape")(self, shape=tuple(shape[:s]) + (merged,) + tuple(shape[e + 1:]))
    own = [_own_dim(shape, k) for k in range(n)]
    return _reshaped(self, tuple(own[:s]) + (_product(own[s:e + 1]),) + tuple(own[e + 1:]))


@method("unflatten")
def _unflatten(self, dim, sizes):
    """Dim ``dim`` split into ``sizes`` (one may be -1)."""
    shape = shape_of(self)
    d = normalize_axis("unflatten", dim, len(shape))
    inner, sources = size_template(self, sizes_arg((sizes,)), "unflatten")
    own = tuple(_own_dim(shape, k) for k in range(len(shape)))
    entries = own[:d] + inner + own[d + 1:]
    if -1 in inner and any(not isinstance(e, int) for e in own[:d] + own[d + 1:]):
        # -1 is inferred from the whole value; with other unknown dims say what it is.
        entries = own[:d] + tuple(("floordiv", ("dim", 0, d), _product(
            [i for i in inner if i != -1])) if i == -1 else i for i in inner) + own[d + 1:]
    return _reshaped(self, entries, sources)


@method("expand")
@keyword_varargs("size")
def _expand(self, *sizes):
    """Broadcast to ``sizes``; -1 keeps a dim; new dims go in front."""
    shape = self.shape
    sizes = sizes_arg(sizes)
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be "
                           f"greater or equal to the number of dimensions ({len(shape)})")
    wanted = []
    for i, s in enumerate(sizes):
        if is_int(s) and s == -1:
            if i < lead:
                raise RuntimeError(f"expand: -1 is not allowed in a leading, non-existing "
                                   f"dimension {i}")
            s = _own_dim(shape, i - lead)
        wanted.append(s)
    for s in wanted:  # NOTE: written out, the common case costs one op call (eager's expand)
        if type(s) is not int:
            break
    else:
        return op("broadcast_to")(self, shape=tuple(wanted))
    given, sources = size_template(self, [s for s in wanted if not isinstance(s, tuple)],
                                   "expand")
    it = iter(given)
    dims = tuple(s if isinstance(s, tuple) else next(it) for s in wanted)
    return op("broadcast_dims")(self, *sources, dims=dims)


@method("expand_as", "broadcast_to")
def _expand_as(self, other):
    if not hasattr(other, "shape") or isinstance(other, tuple | list):  # broadcast_to(shape)
        return _expand(self, *other)
    shape = shape_of(other)
    if None not in shape:
        return op("broadcast_to")(self, shape=shape)
    return op("broadcast_to")(self, other)


_named = named_node  # the one transpose primitive, named by the call that made it


@method("transpose", "swapaxes", "swapdims")
@keyword_varargs("dim0", "dim1", each=True)
def _transpose(self, *dims):
    """``transpose(dim0, dim1)`` swaps two dims (PyTorch); with no dims every dim is reversed
    and with one sequence (or three or more dims) they are a permutation (NumPy)."""
    if len(dims) == 2:
        n = self.ndim
        a, b = dims
        if n == 0:  # a 0-d value takes dims 0 and -1, as PyTorch's
            wrap_dim(a, 0), wrap_dim(b, 0)
            return _named(op("transpose")(self, axes=()), "TransposeBackward0")
        a = a % n if -n <= a < n else normalize_axis("transpose", a, n)
        b = b % n if -n <= b < n else normalize_axis("transpose", b, n)
        axes = list(range(n))
        axes[a], axes[b] = b, a
        return _named(op("transpose")(self, axes=tuple(axes)), "TransposeBackward0")
    if len(dims) == 1 and not is_int(dims[0]):
        dims = tuple(dims[0])
    if not dims:
        return op("transpose")(self)
    return op("transpose")(self, axes=tuple(int(d) for d in dims))


@method("permute")
@keyword_varargs("dims")
def _permute(self, *dims):
    dims = sizes_arg(dims)
    return _named(op("transpose")(self, axes=tuple(int(d) for d in dims)), "PermuteBackward0")


@method("t")
def _t(self):
    """The transpose of a 2-D value (0-D and 1-D: a view of the value as it is)."""
    if self.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{self.ndim}D")
    return _named(op("transpose")(self), "TBackward0")


@method("T")
def _big_t(self):
    """Every dim reversed (a property)."""
    return _named(op("transpose")(self), "PermuteBackward0")


_WARNED: set[str] = set()
# PyTorch's messages for the matrix transposes on a 0-d value (a warning: it is returned as it
# is) and on a value of another rank (an error).
_ZERO_D = {"mT": "Tensor.mT is deprecated on 0-D tensors. This function is the identity in "
                 "these cases.",
           "mH": "Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
           "adjoint": "adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
           "H": "Tensor.H is deprecated on 0-D tensors. Consider using x.conj()."}
_RANK = {"mT": "tensor.mT is only supported on matrices or batches of matrices. Got {n}-D "
               "tensor.",
         "mH": "tensor.mH is only supported on matrices or batches of matrices. Got {n}-D "
               "tensor.",
         "adjoint": "tensor.adjoint() is only supported on matrices or batches of matrices. "
                    "Got {n}-D tensor.",
         "H": "tensor.H is only supported on matrices (2-D tensors). Got {n}-D tensor.{hint}"}


def _matrix_transposed(self, name: str, conj: bool, batched: bool = True):
    """The last two dims swapped (conjugated for ``conj`` and a complex value), with
    PyTorch's checks: a 0-d value comes back as it is with a warning given once per process
    (TORCH_WARN_ONCE), a 1-d one (or, not ``batched``, one over 2-d) is refused."""
    n = self.ndim
    if n == 0:
        if _ZERO_D[name] not in _WARNED:
            _WARNED.add(_ZERO_D[name])
            warnings.warn(_ZERO_D[name], UserWarning, stacklevel=3)
        return self
    if n == 1 or (n > 2 and not batched):
        hint = " For batches of matrices, consider using tensor.mH" if n > 2 else ""
        raise RuntimeError(_RANK[name].format(n=n, hint=hint))
    out = _transpose(self, -2, -1)
    return METHODS["conj"](out) if conj and self.dtype.kind == "c" else out


@method("mT")
def _matrix_t(self):
    """The last two dims swapped (a property)."""
    return _matrix_transposed(self, "mT", conj=False)


@method("mH")
def _matrix_h(self):
    """The conjugate transpose of the last two dims (a property)."""
    return _matrix_transposed(self, "mH", conj=True)


@method("adjoint")
def _adjoint(self):
    """The conjugate transpose of the last two dims (``mH`` as a method)."""
    return _matrix_transposed(self, "adjoint", conj=True)


@method("H")
def _big_h(self):
    """The conjugate transpose of a matrix (a property)."""
    return _matrix_transposed(self, "H", conj=True, batched=False)


@method("unsqueeze")
def _unsqueeze(self, dim):
    return op("expand_dims")(self, axis=dim)


@method("squeeze")
def _squeeze(self, dim=None):
    """Size-1 dims dropped; a ``dim`` that is not of size 1 (or unknown) is left alone."""
    shape = shape_of(self)
    if dim is None:
        keep = tuple(k for k, d in enumerate(shape) if d == 1)
    else:
        dims = (dim,) if is_int(dim) else tuple(dim)
        keep = tuple(normalize_axis("squeeze", d, len(shape)) for d in dims
                     if shape[normalize_axis("squeeze", d, len(shape))] == 1)
    return op("squeeze")(self, axis=keep)  # a new value even when nothing goes, as torch


def _known_size(self, dim: int, what: str) -> tuple[int, int]:
    shape = shape_of(self)
    d = normalize_axis(what, dim, len(shape))
    if shape[d] is None:
        raise TypeError(f"{what}: dim {dim} has a size unknown until run time, so the number "
                        "of pieces is too; trace with a known size there")
    return d, shape[d]


@method("split")
def _split(self, split_size, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or given sizes (the
    method's argument name is PyTorch's ``Tensor.split``'s)."""
    d, n = _known_size(self, dim, "split")
    if is_int(split_size):
        size = int(split_size)
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
    else:
        sizes = [int(s) for s in split_size]
        if sum(sizes) != n:
            raise RuntimeError(f"split: sizes {sizes} do not add up to {n} (dim {dim})")
    pieces, start = [], 0
    for s in sizes:
        pieces.append(op("getitem")(self, (slice(None),) * d + (slice(start, start + s),)))
        start += s
    return tuple(pieces)


@method("chunk")
def _chunk(self, chunks, dim=0):
    _, n = _known_size(self, dim, "chunk")
    return _split(self, max(-(-n // chunks), 1), dim)


@method("tensor_split")
def _tensor_split(self, indices_or_sections, dim=0):
    """Pieces along ``dim``: ``sections`` near-equal ones (the first ``n % sections`` one
    element longer), or the runs between the given cut ``indices``."""
    d, n = _known_size(self, dim, "tensor_split")
    cuts = np.asarray(indices_or_sections)
    if cuts.ndim == 0:
        sections = int(cuts)
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        size, extra = divmod(n, sections)
        lengths = [size + 1] * extra + [size] * (sections - extra)
        bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
    else:
        if cuts.ndim != 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a "
                               f"zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {cuts.ndim} dims")
        bounds = [0, *(int(c) for c in cuts), n]
    return tuple(op("getitem")(self, (slice(None),) * d + (slice(start, stop),))
                 for start, stop in zip(bounds[:-1], bounds[1:], strict=True))


@method("unbind")
def _unbind(self, dim=0):
    """The slices along ``dim``, that dim removed."""
    d, n = _known_size(self, dim, "unbind")
    return tuple(op("getitem")(self, (slice(None),) * d + (i,)) for i in range(n))


@method("repeat")
@keyword_varargs("repeats")
def _repeat(self, *sizes):
    sizes = sizes_arg(sizes)
    if any(is_dynamic(s) for s in sizes):
        raise TypeError("repeat: the repeat counts must be ints (a size known only at run "
                        "time cannot be one); expand() a size-1 dim instead")
    return op("repeat")(self, *sizes)
