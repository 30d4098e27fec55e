"""``torch.linalg`` for eager Tensors: the shared module `shared_ops.linalg_api`, whose
functions call the shared ops (so they record for backward, and stage in static graphs too).

    >>> import eager
    >>> eager.linalg.det(eager.tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
"""

from shared_ops.linalg_api import *  # noqa: F403
from shared_ops.linalg_api import __all__  # noqa: F401
