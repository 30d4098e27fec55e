"""``torch.linalg`` on graph values: the shared module `shared_ops.linalg_api`, whose
functions stage the shared ops (the same functions are ``eager.linalg``).

    >>> import static
    >>> with static.Graph():
    ...     a = static.placeholder((None, 3, 3), name="a")
    ...     static.linalg.det(a).shape
    (None,)
"""

from shared_ops.linalg_api import *  # noqa: F403
from shared_ops.linalg_api import __all__  # noqa: F401
