"""The bin edges and counts of PyTorch's ``histogram`` and ``histogramdd``: `histogramdd_parts`
computes the edges as PyTorch does (the data's range per dim, or ``range``, widened by 0.5 on
each side when empty; then its ``linspace`` in the input's dtype, each half stepped from its own
end) and the counts with the ``histogramdd_counts`` op. Computed edges are constants, made values of
the input's mode (``new_tensor``); bins given as tensors are used as they are. The counts of a
graph value need ``range=`` or given edges (its data's range is known only when it runs).

    >>> import numpy as np
    >>> linspace_like_torch(0.0, 1.0, 4, np.dtype("float32")).tolist()
    [0.0, 0.3333333432674408, 0.6666666865348816, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .return_types import return_type
from .tensor_api_core import method, op, scalar_type_name, shape_of

# The C names PyTorch's dtype errors print.
_C_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double"}
HistogramResult = return_type("histogram", ("hist", "bin_edges"))
HistogramddResult = return_type("histogramdd", ("hist", "bin_edges"))


def linspace_like_torch(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """``steps`` points from ``start`` to ``end`` computed in ``dtype`` as PyTorch's CPU
    kernel does: the first half ``start + step * i``, the second ``end - step * (steps - 1 -
    i)``, so both ends are exact."""
    lo, hi = dtype.type(start), dtype.type(end)
    if steps == 1:
        return np.array([lo], dtype)
    step = (hi - lo) / dtype.type(steps - 1)
    i = np.arange(steps, dtype=dtype)
    first = lo + step * i
    second = hi - step * (dtype.type(steps - 1) - i)
    return np.where(np.arange(steps) < steps // 2, first, second).astype(dtype, copy=False)


def _outer_edges(sample: Any, dims: int, range: Any) -> list[tuple[float, float]]:  # noqa: A002
    if range is not None:
        if len(range) != 2 * dims:
            raise RuntimeError(f"torch.histogramdd: for a {dims}-dimensional histogram range "
                               f"should have {2 * dims} elements, but got {len(range)}")
        pairs = [(float(range[2 * d]), float(range[2 * d + 1])) for d in np.arange(dims)]
    else:
        try:
            values = np.asarray(sample)
        except TypeError as error:  # a graph value: no data while the graph is built
            raise NotImplementedError("histogram: a graph value's range is known only when "
                                      "the graph runs; pass range= or the bin edges") from error
        pairs = [(float(values[:, d].min()), float(values[:, d].max())) if len(values)
                 else (0.0, 1.0) for d in np.arange(dims)]
    out = []
    for d, (lo, hi) in enumerate(pairs):
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise RuntimeError(f"torch.histogramdd: dimension {d}'s range [{lo:g}, {hi:g}] is "
                               "not finite")
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{lo:g} max {hi:g} for dimension {d}")
        out.append((lo - 0.5, hi + 0.5) if lo == hi else (lo, hi))
    return out


def histogramdd_parts(input: Any, bins: Any, range: Any = None,  # noqa: A002
                      weight: Any = None, density: bool = False,
                      name: str = "histogramdd") -> tuple[Any, list]:
    """``(hist, edges)`` of the samples ``input`` (..., D): ``bins`` an int, one int per dim or
    one 1-d tensor of edges per dim."""
    dtype = np.dtype(input.dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"histogramdd\" not implemented for "
                                  f"'{scalar_type_name(dtype)}'")
    dims = shape_of(input)[-1] if shape_of(input) else 1
    sample = op("reshape")(input, shape=(-1, dims))
    if isinstance(bins, int) or (isinstance(bins, list | tuple) and bins
                                 and all(isinstance(b, int) for b in bins)):
        counts = [bins] * dims if isinstance(bins, int) else list(bins)
        for d, n in enumerate(counts):
            if n <= 0:
                raise RuntimeError(f"torch.{name}(): bins must be > 0, but got {n} for "
                                   f"dimension {d}")
        edges = [linspace_like_torch(lo, hi, n + 1, dtype) for (lo, hi), n in
                 zip(_outer_edges(sample, dims, range), counts, strict=True)]
    else:
        if range is not None:
            raise TypeError(f"{name}() received an invalid combination of arguments: range= "
                            "goes with a number of bins, not with bin edges")
        edges = list(bins) if isinstance(bins, list | tuple) else [bins]
        for d, e in enumerate(edges):
            if np.dtype(e.dtype) != dtype:
                raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should "
                                   f"have the same dtype, but got input with dtype "
                                   f"{_C_NAMES.get(dtype.name)} and bins for dimension {d} "
                                   f"with dtype {_C_NAMES.get(np.dtype(e.dtype).name)}")
    if len(edges) != dims:
        raise RuntimeError(f"torch.{name}: expected {dims} sequences of bin edges for a "
                           f"{dims}-dimensional histogram but got {len(edges)}")
    first = op("reshape")(op("getitem")(sample, (slice(None), 0)), shape=(-1,))
    weights = op("full_like")(first, 1) if weight is None else \
        op("reshape")(weight, shape=(-1,))
    hist = op("histogramdd_counts")([sample, weights, *edges], density=density)
    # Computed edges become values of the input's mode (an eager tensor, a graph constant).
    return hist, [input.new_tensor(e) if isinstance(e, np.ndarray) and
                  hasattr(input, "new_tensor") else e for e in edges]


def histogram(input: Any, bins: Any, *, range: Any = None, weight: Any = None,  # noqa: A002
              density: bool = False) -> Any:
    """The histogram of the values of ``input`` in ``bins`` equal bins over ``range`` (the
    data's range when None), or between the given edges (a 1-d tensor): ``(hist,
    bin_edges)``; ``weight`` weighs each value, ``density`` makes the integral 1."""
    hist, edges = histogramdd_parts(op("reshape")(input, shape=(-1, 1)),
                                    bins if isinstance(bins, int) else [bins], range, weight,
                                    density, name="histogram")
    return HistogramResult(hist, edges[0])


def histogramdd(input: Any, bins: Any, *, range: Any = None, weight: Any = None,  # noqa: A002
                density: bool = False) -> Any:
    """The histogram of the D-dimensional samples ``input`` (..., D): ``bins`` one int for
    every dim, one per dim, or one tensor of edges per dim; ``(hist, bin_edges)`` with one
    edge tensor per dim."""
    hist, edges = histogramdd_parts(input, bins, range, weight, density)
    return HistogramddResult(hist, tuple(edges))


method("histogram")(histogram)

__all__ = ["HistogramResult", "HistogramddResult", "histogram", "histogramdd",
           "histogramdd_parts", "linspace_like_torch"]
