"""``histogramdd_counts``: the (weighted) counts of D-dimensional samples in the cells of given
bin edges, the kernel of PyTorch's ``histogram`` and ``histogramdd`` (whose edges
`shared_ops.torch_functions_histogram` computes). A primitive without gradient, as in PyTorch.

A sample falls in bin i of a dim when ``edges[i] <= x < edges[i + 1]``, the last bin closed
on the right (PyTorch's kernel interpolates a first guess, then corrects it against the edges
themselves, which is this rule); samples outside the edges in any dim are not counted.

    >>> import numpy as np
    >>> histogramdd_counts([np.array([[0.5], [1.0], [3.0]]), np.ones(3), np.array([0.0, 1.0,
    ...                     2.0])]).tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import DTypeError, ShapeError
from ..registry import primitive


def _kernel(sample, weight, *edges, density: bool = False):
    _rule(*(Aval(a.shape, a.dtype) for a in (sample, weight, *edges)), density=density)
    bins = tuple(len(e) - 1 for e in edges)
    keep = np.ones(sample.shape[0], bool)
    cell = np.zeros(sample.shape[0], np.int64)
    for d, e in enumerate(edges):
        x = sample[:, d]
        position = np.searchsorted(e, x, side="right") - 1
        position[x == e[-1]] = bins[d] - 1  # the last bin is closed on the right
        keep &= (x >= e[0]) & (x <= e[-1])
        cell = cell * bins[d] + np.clip(position, 0, bins[d] - 1)
    total = int(np.prod(bins))
    hist = np.bincount(cell[keep], weights=weight[keep], minlength=total)
    hist = hist.astype(sample.dtype).reshape(bins)
    if density:
        hist = hist / hist.sum()
        for d, e in enumerate(edges):
            shape = [1] * len(bins)
            shape[d] = bins[d]
            hist = hist / np.diff(e).reshape(shape)
    return hist.astype(sample.dtype, copy=False)


def _rule(sample: Aval, weight: Aval, *edges: Aval, density: bool = False) -> Aval:
    if sample.dtype.kind != "f":
        raise DTypeError("histogramdd_counts", f'"histogramdd" not implemented for '
                         f"'{sample.dtype}' (floating samples only, as in PyTorch)",
                         dtypes=[sample.dtype])
    if len(sample.shape) != 2 or len(edges) != sample.shape[1]:
        raise ShapeError("histogramdd_counts", f"expected samples (N, D) and D edge tensors, "
                         f"got samples {sample.shape} and {len(edges)} edge tensors",
                         shapes=[sample.shape, *(e.shape for e in edges)])
    return Aval(tuple(None if e.shape[0] is None else e.shape[0] - 1 for e in edges),
                sample.dtype)


histogramdd_counts = primitive(
    "histogramdd_counts", _kernel, _rule, None, variadic=True, differentiable_output=False,
    fresh=True, doc="histogramdd_counts([samples (N, D), weights (N,), edges_0, ...]): the "
                    "weighted count (or density) of the samples in each cell of the edges.")

__all__ = ["histogramdd_counts"]
