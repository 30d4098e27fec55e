"""``torch.linalg`` for eager Tensors: the shared module `shared_ops.linalg_api`, whose
functions call the shared ops (so they record for backward, and stage in static graphs too).

    >>> import eager
    >>> eager.linalg.det(eager.tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
"""

from shared_ops.linalg_api import *  # noqa: F403
from shared_ops.linalg_api import __all__  # noqa: F401

# torch's out= on the functions torch.linalg gives it (eager/out_argument.py)
from .out_argument import add_out_arguments as _add_out_arguments  # noqa: E402
from .out_argument_tables import LINALG_OUT as _LINALG_OUT  # noqa: E402

_add_out_arguments(globals(), _LINALG_OUT, "linalg_")
