"""torch functions of issue 16's third batch as ``eager.<name>``: the shared ones
(`shared_ops.torch_functions_math`, `shared_ops.torch_functions_calculus` and
`shared_ops.torch_functions_histogram`, which also run on graph values) and the eager-only
ones of `eager.functions_memory`.

    >>> import eager
    >>> eager.histogram(eager.tensor([1.0, 2.0, 1.0]), bins=2).hist
    tensor([2., 1.])
"""

from __future__ import annotations

from shared_ops.torch_functions_calculus import (  # noqa: F401
    cumulative_trapezoid,
    gradient,
    trapezoid,
    trapz,
)
from shared_ops.torch_functions_histogram import histogram, histogramdd  # noqa: F401
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

from .functions_memory import (  # noqa: F401
    empty_strided,
    frombuffer,
    is_nonzero,
    is_storage,
    typename,
)

__all__ = ["as_strided", "atleast_1d", "atleast_2d", "atleast_3d", "chain_matmul",
           "cumulative_trapezoid", "deg2rad", "diag_embed", "empty_strided", "float_power",
           "frombuffer", "gradient", "histogram", "histogramdd", "is_nonzero", "is_storage",
           "rad2deg", "renorm", "trapezoid", "trapz", "typename", "unique_consecutive",
           "vander"]
