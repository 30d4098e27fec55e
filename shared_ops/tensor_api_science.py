"""Functions and Tensor methods of scientific code that PyTorch has and the other tables lack:
``fliplr``/``flipud``, ``ravel``, ``diagflat``, ``logaddexp2``, ``dist``, ``pdist``,
``mvlgamma``, ``hsplit``/``vsplit``/``dsplit`` and ``argwhere`` (as a method), each written
over shared ops with PyTorch's signature and errors, so eager and static values both get
them. The methods are entries of `tensor_api_core.METHODS`; the functions are
``eager.<name>``.

    >>> import numpy as np
    >>> pdist(np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]]), p=1).tolist()
    [7.0, 2.0, 5.0]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .tensor_api_core import METHODS, method, op, shape_of


def _require_rank(x: Any, rank: int) -> None:
    if len(shape_of(x)) < rank:
        raise RuntimeError(f"Input must be >= {rank}-d.")


@method("fliplr")
def fliplr(input: Any) -> Any:  # noqa: A002 -- torch's names
    """The columns (dim 1) in reverse order; the input must have 2 dims or more."""
    _require_rank(input, 2)
    return op("flip")(input, dims=1)


@method("flipud")
def flipud(input: Any) -> Any:  # noqa: A002
    """The rows (dim 0) in reverse order; the input must have 1 dim or more."""
    _require_rank(input, 1)
    return op("flip")(input, dims=0)


@method("ravel")
def ravel(input: Any) -> Any:  # noqa: A002
    """The entries as one dim, in row-major order."""
    return op("reshape")(input, shape=(-1,))


@method("diagflat")
def diagflat(input: Any, offset: int = 0) -> Any:  # noqa: A002
    """A square matrix with the flattened input on its ``offset``-th diagonal."""
    return op("diag_embed")(ravel(input), offset=offset)


@method("logaddexp2")
def logaddexp2(input: Any, other: Any) -> Any:  # noqa: A002
    """``log2(2 ** input + 2 ** other)`` without overflow."""
    return op("logaddexp2")(input, other)


@method("dist")
def dist(input: Any, other: Any, p: float = 2) -> Any:  # noqa: A002
    """The ``p``-norm of ``input - other`` (broadcast), over every entry."""
    return op("vector_norm")(op("sub")(input, other), ord=p)


def pdist(input: Any, p: float = 2) -> Any:  # noqa: A002
    """The ``p``-norm distance of each pair of rows i < j of an (N, M) input, in the order
    of the upper triangle: N (N - 1) / 2 values."""
    if len(shape_of(input)) != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {len(shape_of(input))}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    first, second = np.triu_indices(shape_of(input)[0], k=1)
    pairs = op("sub")(_rows(input, first), _rows(input, second))
    return op("vector_norm")(pairs, ord=p, dim=1)


def _rows(x: Any, rows: np.ndarray) -> Any:
    """The rows ``rows`` of x, gathered (so the gradient scatters back)."""
    index = np.broadcast_to(rows.astype(np.int64)[:, None], (len(rows), shape_of(x)[1]))
    return op("take_along_axis")(x, index, axis=0)


@method("mvlgamma")
def mvlgamma(input: Any, p: int) -> Any:  # noqa: A002
    """The log of the multivariate gamma function of dimension ``p``: the sum over j < p of
    lgamma(x - j / 2), plus p (p - 1) / 4 log(pi)."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    total = op("lgamma")(input)
    for j in range(1, p):
        total = op("add")(total, op("lgamma")(op("sub")(input, j / 2)))
    return op("add")(total, p * (p - 1) / 4 * math.log(math.pi))


@method("argwhere")
def _argwhere(self: Any) -> Any:
    """The indices of the nonzero entries, one row each."""
    return op("argwhere")(self)


def _split_along(name: str, dim: int, rank: int):
    def split(input: Any, indices_or_sections: Any) -> tuple:  # noqa: A002
        ndim = len(shape_of(input))
        if ndim < rank:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {rank} dimension, "
                               f"but got a tensor with {ndim} dimensions!")
        d = 0 if name == "hsplit" and ndim == 1 else dim
        if isinstance(indices_or_sections, int):
            size = shape_of(input)[d]
            if indices_or_sections == 0 or size % indices_or_sections:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but "
                                   f"the size of the dimension {size} is not divisible by the "
                                   f"split_size {indices_or_sections}!")
        return tuple(METHODS["tensor_split"](input, indices_or_sections, d))

    split.__name__ = split.__qualname__ = name
    split.__doc__ = (f"``input`` split along dim {dim} (numpy's {name}): into equal sections, "
                     f"or at the given indices.")
    return method(name)(split)


hsplit = _split_along("hsplit", 1, 1)
vsplit = _split_along("vsplit", 0, 2)
dsplit = _split_along("dsplit", 2, 3)


def nanquantile(input: Any, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
                interpolation: str = "linear") -> Any:
    """``input.nanquantile(q, dim, keepdim, interpolation=)``: quantiles ignoring nan."""
    return METHODS["nanquantile"](input, q, dim, keepdim, interpolation=interpolation)


__all__ = ["fliplr", "flipud", "ravel", "diagflat", "logaddexp2", "dist", "pdist", "mvlgamma",
           "nanquantile", "hsplit", "vsplit", "dsplit"]
