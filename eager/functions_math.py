"""torch functions of issue 16's third batch as ``eager.<name>``: the shared ones
(`shared_ops.torch_functions_math`, `shared_ops.torch_functions_calculus` and
`shared_ops.torch_functions_histogram`, which also run on graph values) and the eager-only
ones of `eager.functions_memory`.

    >>> import eager
    >>> eager.histogram(eager.tensor([1.0, 2.0, 1.0]), bins=2).hist
    tensor([2., 1.])
"""

from __future__ import annotations

from shared_ops import tensor_api_science, torch_functions_calculus, torch_functions_math
from shared_ops.tensor_api_science import *  # noqa: F403  (fliplr, pdist, nanquantile...)
from shared_ops.torch_functions_calculus import *  # noqa: F403
from shared_ops.torch_functions_histogram import histogram, histogramdd  # noqa: F401
from shared_ops.torch_functions_math import *  # noqa: F403

from . import functions_memory
from .functions_memory import *  # noqa: F403  (eager only: memory and Python values)
from .lowrank import pca_lowrank, svd_lowrank  # noqa: F401  (randomized SVD and PCA)

__all__ = [*torch_functions_math.__all__, *torch_functions_calculus.__all__, "histogram",
           "histogramdd", *functions_memory.__all__, *tensor_api_science.__all__,
           "pca_lowrank", "svd_lowrank"]
