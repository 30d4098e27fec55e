"""``diagonal`` and ``diagonal_scatter`` as primitives, each the other's gradient.

``diagonal(x, offset, dim1, dim2)`` is PyTorch's view: the ``offset`` diagonal of each
(dim1, dim2) plane as a new last dim, sharing ``x``'s memory, so that
``x.diagonal().fill_(1)`` or ``A.diagonal().add_(eps)`` writes into ``x`` as it does in torch
(NumPy's ``np.diagonal`` is the same view, returned read-only; it is made writable where
``x`` is). ``diagonal_scatter(x, src, ...)`` is a copy of ``x`` with that diagonal replaced by
``src`` (torch.diagonal_scatter)::

    >>> import numpy as np
    >>> x = np.zeros((2, 3))
    >>> diagonal(x, offset=1).tolist()
    [0.0, 0.0]
    >>> diagonal_scatter(x, np.array([1.0, 2.0]), offset=1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axis
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from .fill import zeros_like


def _axes(name: str, ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    d1, d2 = normalize_axis(name, dim1, ndim), normalize_axis(name, dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def _diagonal_shape(name: str, shape: tuple, offset: int, dim1: int, dim2: int) -> tuple:
    d1, d2 = _axes(name, len(shape), dim1, dim2)
    rows, cols = shape[d1], shape[d2]
    if rows is None or cols is None:
        length = None
    else:
        length = max(min(rows - max(-offset, 0), cols - max(offset, 0)), 0)
    return tuple(s for i, s in enumerate(shape) if i not in (d1, d2)) + (length,)


# --- diagonal: primitive (a view) --------------------------------------------------------------
def _diagonal_kernel(x, offset=0, dim1=0, dim2=1):
    view = np.diagonal(x, offset, dim1, dim2)
    if x.flags.writeable:  # NumPy hands the view out read-only; torch's is writable
        view.setflags(write=True)
    return view


def _diagonal_rule(x: Aval, offset=0, dim1=0, dim2=1) -> Aval:
    return Aval(_diagonal_shape("diagonal", tuple(x.shape), offset, dim1, dim2), x.dtype)


def _diagonal_vjp(g, inputs, out, offset=0, dim1=0, dim2=1):
    (x,) = inputs
    return (diagonal_scatter(zeros_like(x), g, offset=offset, dim1=dim1, dim2=dim2),)


diagonal = primitive("diagonal", _diagonal_kernel, _diagonal_rule, _diagonal_vjp, view=True,
                     linear_in=(0,), torch_name="DiagonalBackward0",
                     doc="The offset diagonal of the (dim1, dim2) planes as a new last dim: a "
                         "view of the input (torch.diagonal).")


# --- diagonal_scatter: primitive ---------------------------------------------------------------
def _diagonal_scatter_kernel(x, src, offset=0, dim1=0, dim2=1):
    out = np.array(x, copy=True)
    target = np.diagonal(out, offset, dim1, dim2)
    target.setflags(write=True)  # out is this kernel's own copy
    target[...] = src
    return out


def _diagonal_scatter_rule(x: Aval, src: Aval, offset=0, dim1=0, dim2=1) -> Aval:
    want = _diagonal_shape("diagonal_scatter", tuple(x.shape), offset, dim1, dim2)
    if len(want) != len(src.shape) or any(
            a is not None and b is not None and a != b for a, b in zip(want, src.shape,
                                                                      strict=False)):
        raise ShapeError("diagonal_scatter", f"expected src to have a size equal to the slice "
                         f"of self. src size = {describe_shapes(src.shape)}, slice size = "
                         f"{describe_shapes(want)}", shapes=[x.shape, src.shape])
    return Aval(tuple(x.shape), x.dtype)


def _diagonal_scatter_vjp(g, inputs, out, offset=0, dim1=0, dim2=1):
    x, src = inputs
    attrs = dict(offset=offset, dim1=dim1, dim2=dim2)
    return (diagonal_scatter(g, zeros_like(src), **attrs), diagonal(g, **attrs))


diagonal_scatter = primitive("diagonal_scatter", _diagonal_scatter_kernel,
                             _diagonal_scatter_rule, _diagonal_scatter_vjp, promote=True,
                             fresh=True, torch_name="DiagonalScatterBackward0",
                             doc="A copy of x with its offset (dim1, dim2) diagonal replaced by "
                                 "src (torch.diagonal_scatter).")

__all__ = ["diagonal", "diagonal_scatter"]
