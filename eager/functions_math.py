"""torch functions of issue 16's third batch as ``eager.<name>``: the shared ones
(`shared_ops.torch_functions_math` and `shared_ops.torch_functions_calculus`, which also run
on graph values), ``histogram``/``histogramdd`` (their edges made tensors here) and the
eager-only ones of `eager.functions_memory`.

    >>> import eager
    >>> eager.histogram(eager.tensor([1.0, 2.0, 1.0]), bins=2).hist
    tensor([2., 1.])
"""

from __future__ import annotations

from typing import Any

from shared_ops.torch_functions_calculus import (  # noqa: F401
    cumulative_trapezoid,
    gradient,
    trapezoid,
    trapz,
)
from shared_ops.torch_functions_histogram import (
    HistogramddResult,
    HistogramResult,
    histogramdd_parts,
)
from shared_ops.torch_functions_math import (  # noqa: F401
    as_strided,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    chain_matmul,
    deg2rad,
    diag_embed,
    float_power,
    rad2deg,
    renorm,
    unique_consecutive,
    vander,
)

from .creation import as_tensor
from .functions_memory import (  # noqa: F401
    empty_strided,
    frombuffer,
    is_nonzero,
    is_storage,
    typename,
)


def histogram(input: Any, bins: Any, *, range: Any = None, weight: Any = None,  # noqa: A002
              density: bool = False) -> Any:
    """The histogram of the values of ``input`` in ``bins`` equal bins over ``range`` (the
    data's range when None), or between the given edges (a 1-d tensor): ``(hist,
    bin_edges)``; ``weight`` weighs each value, ``density`` makes the integral 1."""
    hist, edges = histogramdd_parts(input.reshape(-1, 1), bins if isinstance(bins, int)
                                    else [bins], range, weight, density, name="histogram")
    return HistogramResult(hist, as_tensor(edges[0]))


def histogramdd(input: Any, bins: Any, *, range: Any = None, weight: Any = None,  # noqa: A002
                density: bool = False) -> Any:
    """The histogram of the D-dimensional samples ``input`` (..., D): ``bins`` one int for
    every dim, one per dim, or one tensor of edges per dim; ``(hist, bin_edges)`` with one
    edge tensor per dim."""
    hist, edges = histogramdd_parts(input, bins, range, weight, density)
    return HistogramddResult(hist, tuple(as_tensor(e) for e in edges))


__all__ = ["as_strided", "atleast_1d", "atleast_2d", "atleast_3d", "chain_matmul",
           "cumulative_trapezoid", "deg2rad", "diag_embed", "empty_strided", "float_power",
           "frombuffer", "gradient", "histogram", "histogramdd", "is_nonzero", "is_storage",
           "rad2deg", "renorm", "trapezoid", "trapz", "typename", "unique_consecutive",
           "vander"]
