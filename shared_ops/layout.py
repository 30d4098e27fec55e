"""Tensor layouts and memory formats, as PyTorch names them (``torch.strided``,
``torch.contiguous_format``...): one object each, printed as PyTorch prints it.

Every value here is dense and strided: an eager Tensor's array has NumPy's strides (views may
not be contiguous), and a graph value is laid out contiguously when the step runs. The sparse
layouts and the channels-last formats exist as names for comparisons and for programs that
pass them along.

    >>> strided, contiguous_format
    (torch.strided, torch.contiguous_format)
"""

from __future__ import annotations

from typing import Any


class _Named:
    """A singleton printed as ``torch.<name>``."""

    __slots__ = ("_name",)
    _kind = ""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self) -> str:
        return self._name  # pickled by name: the module attribute, one object per name


class layout(_Named):  # noqa: N801  (PyTorch's name)
    """``torch.layout``: how a tensor's elements are stored."""

    __slots__ = ()


class memory_format(_Named):  # noqa: N801  (PyTorch's name)
    """``torch.memory_format``: the order of a dense tensor's dims in memory."""

    __slots__ = ()


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")


def strides_in_elements(shape: tuple, byte_strides: tuple, itemsize: int) -> tuple[int, ...]:
    """PyTorch's ``stride()``: steps in elements, not NumPy's bytes."""
    return tuple(int(s) // itemsize for s in byte_strides)


def contiguous_strides(shape: tuple) -> tuple[int, ...]:
    """The strides of a C-contiguous tensor of ``shape`` (a dim of size 0 or 1 counts as 1)."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(int(size), 1)
    return tuple(reversed(strides))


def stride_of(steps: tuple[int, ...], dim: int | None) -> Any:
    """``stride(dim)`` from all the strides: the tuple for None, else one dim's (PyTorch's
    IndexError out of range; a 0-d tensor has stride 1 along its one implicit dim)."""
    if dim is None:
        return steps
    ndim = max(len(steps), 1)
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {dim})")
    return steps[dim] if steps else 1


__all__ = ["stride_of", "layout", "memory_format", "strided", "sparse_coo", "sparse_csr",
           "contiguous_format", "channels_last", "channels_last_3d", "preserve_format",
           "strides_in_elements", "contiguous_strides"]
