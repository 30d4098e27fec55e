"""Shape functions with PyTorch's names: ``reshape``/``view``, ``flatten``, ``transpose``,
``permute``, ``unsqueeze``/``squeeze``, ``expand``, ``cat``, ``stack``, ``split``, ``chunk``.

They translate PyTorch's conventions (``dim``, ``-1`` in ``expand``, a no-op ``squeeze`` of a
dim that is not 1) to the shared shape ops and call them through the dispatcher.

    >>> import eager
    >>> eager.cat([eager.ones(2), eager.zeros(1)]).tolist()
    [1.0, 1.0, 0.0]
"""

from __future__ import annotations

import warnings

from shared_ops.registry import OPS
from shared_ops.tensor_api_core import keyword_varargs

from .types.size import Size


def op(name: str):
    """The shared op ``name`` (looked up at call time: ops may be registered later)."""
    try:
        return OPS[name]
    except KeyError:
        raise NotImplementedError(f"the shared op {name!r} is not registered") from None


# --- shapes ----------------------------------------------------------------------------------
def _shape_arg(shape: tuple) -> tuple:
    """``view(2, 3)`` and ``view((2, 3))`` both mean the shape ``(2, 3)``."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = tuple(shape[0])
    return tuple(int(d) for d in shape)


@keyword_varargs("shape")
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
    """Swap two dims (the Tensor method: its node is PyTorch's TransposeBackward0)."""
    return input.transpose(dim0, dim1)


swapaxes = transpose


@keyword_varargs("dims")
def permute(input, *dims):  # noqa: A002
    """The dims in the order ``dims`` (the Tensor method: PermuteBackward0)."""
    return input.permute(_shape_arg(dims))


def t(input):  # noqa: A002
    """Transpose a 2-D tensor, 0-D and 1-D as they are (the Tensor method: TBackward0)."""
    return input.t()


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


def broadcast_shapes(*shapes):
    """The shape the given shapes (ints for 1-d ones) broadcast to, as a ``torch.Size``."""
    sizes: list[int] = []
    for index, shape in enumerate(shapes):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        sizes = [1] * (len(shape) - len(sizes)) + sizes
        for k in range(1, len(shape) + 1):
            if sizes[-k] == 1:
                sizes[-k] = shape[-k]
            elif shape[-k] not in (1, sizes[-k]):
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[-k]} "
                                   f"at {-k}! Mismatching argument at index {index} had "
                                   f"{shape}; but expected shape should be broadcastable to "
                                   f"{sizes}")
    return Size(sizes)


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views, with ``ExpandBackward0``)."""
    shape = tuple(broadcast_shapes(*(tuple(t.shape) for t in tensors)))
    return tuple(t if tuple(t.shape) == shape else expand(t, shape) for t in tensors)


def cat(tensors, dim: int = 0, *, axis: int | None = None):
    """Join along an existing dim (``axis`` is NumPy's name for it, which PyTorch takes too)."""
    return op("concat")(list(tensors), axis=dim if axis is None else axis)


concat = concatenate = cat


def stack(tensors, dim: int = 0, *, axis: int | None = None):
    """Join along a new dim (``axis`` as in ``cat``)."""
    return op("stack")(list(tensors), axis=dim if axis is None else axis)


def split(tensor, split_size_or_sections, dim: int = 0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or given sizes: the
    Tensor method (one definition for both modes; eager's pieces share one grad_fn)."""
    return tensor.split(split_size_or_sections, dim)


def chunk(input, chunks: int, dim: int = 0):  # noqa: A002
    """``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
    return input.chunk(chunks, dim)


def unbind(input, dim: int = 0):  # noqa: A002
    """``torch.unbind``: ``input.unbind(dim)``, the slices along ``dim``."""
    return input.unbind(dim)


def numel(input) -> int:  # noqa: A002
    n = 1
    for d in input.shape:
        n *= d
    return n


# --- stacking along fixed dims and grids (torch's hstack, vstack, dstack, column_stack) -------
def _nonempty(name: str, tensors) -> list:
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def _at_least(x, ndim: int):
    """torch.atleast_{1,2,3}d: 0-d -> (1,)*ndim; 1-d (n,) -> (1, n[, 1]); 2-d -> (m, n[, 1])."""
    shape = tuple(x.shape)
    if len(shape) >= ndim:
        return x
    if not shape:
        return reshape(x, (1,) * ndim)
    if len(shape) == 1 and ndim >= 2:
        shape = (1, *shape)
    return reshape(x, shape + (1,) * (ndim - len(shape)))


def hstack(tensors):
    """Join along dim 1 (dim 0 when every input is at most 1-d), as torch.hstack."""
    tensors = [_at_least(t, 1) for t in _nonempty("hstack", tensors)]
    return cat(tensors, 0 if all(t.dim() == 1 for t in tensors) else 1)


def vstack(tensors):
    """Join along dim 0 after making each input at least 2-d (torch.vstack, row_stack)."""
    return cat([_at_least(t, 2) for t in _nonempty("vstack", tensors)], 0)


row_stack = vstack


def dstack(tensors):
    """Join along dim 2 after making each input at least 3-d (torch.dstack)."""
    return cat([_at_least(t, 3) for t in _nonempty("dstack", tensors)], 2)


def column_stack(tensors):
    """Join along dim 1, 0-d and 1-d inputs as columns (torch.column_stack)."""
    tensors = _nonempty("column_stack", tensors)
    return cat([reshape(t, (-1, 1)) if t.dim() <= 1 else t for t in tensors], 1)


_warned_indexing = False


def meshgrid(*tensors, indexing: str | None = None):
    """Grids from 0-d or 1-d inputs of one dtype: with ``indexing="ij"`` (the default) output
    k varies along dim k; with ``"xy"`` the first two dims swap (torch.meshgrid). As torch,
    leaving ``indexing`` out warns once."""
    global _warned_indexing
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        if not _warned_indexing:  # torch warns once per process
            _warned_indexing = True
            warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass "
                          "the indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if len({t.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got a {t.dim()}-D tensor of shape {list(t.shape)}")
    vectors = [reshape(t, (-1,)) for t in tensors]
    swap = indexing == "xy" and len(vectors) >= 2
    if swap:
        vectors[0], vectors[1] = vectors[1], vectors[0]
    shape = tuple(v.shape[0] for v in vectors)
    n = len(vectors)
    grids = [op("broadcast_to")(reshape(v, tuple(-1 if j == k else 1 for j in range(n))),
                                shape=shape) for k, v in enumerate(vectors)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


__all__ = ["reshape", "flatten", "transpose", "swapaxes", "permute", "t", "unsqueeze", "squeeze",
           "expand", "broadcast_to", "cat", "concat", "concatenate", "stack", "split", "chunk",
           "unbind", "numel", "hstack", "vstack", "row_stack", "dstack", "column_stack", "meshgrid",
           "broadcast_shapes", "broadcast_tensors"]
