"""Shape functions with PyTorch's names: ``reshape``/``view``, ``flatten``, ``transpose``,
``permute``, ``unsqueeze``/``squeeze``, ``expand``, ``cat``, ``stack``, ``split``, ``chunk``.

They translate PyTorch's conventions (``dim``, ``-1`` in ``expand``, a no-op ``squeeze`` of a
dim that is not 1) to the shared shape ops and call them through the dispatcher.

    >>> import eager
    >>> eager.cat([eager.ones(2), eager.zeros(1)]).tolist()
    [1.0, 1.0, 0.0]
"""

from __future__ import annotations

from shared_ops.registry import OPS


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


__all__ = ["reshape", "flatten", "transpose", "swapaxes", "permute", "t", "unsqueeze", "squeeze",
           "expand", "broadcast_to", "cat", "concat", "concatenate", "stack", "split", "chunk",
           "numel"]
