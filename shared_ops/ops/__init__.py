"""All ops, by family. Importing this package registers them."""

from . import (
    conv,
    elementwise,
    elementwise_logic,
    elementwise_math,
    fill,
    fused,
    gather,
    indexing,
    linalg,
    losses,
    neural,
    pool,
    reductions,
    shape,
    shape_join,
)
from .conv import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .elementwise_logic import *  # noqa: F403
from .elementwise_math import *  # noqa: F403
from .fill import *  # noqa: F403
from .fused import *  # noqa: F403
from .gather import *  # noqa: F403
from .indexing import *  # noqa: F403
from .linalg import *  # noqa: F403
from .losses import *  # noqa: F403
from .neural import *  # noqa: F403
from .pool import *  # noqa: F403
from .reductions import *  # noqa: F403
from .shape import *  # noqa: F403
from .shape_join import *  # noqa: F403

_FAMILIES = (conv, elementwise, elementwise_logic, elementwise_math, fill, fused, gather, indexing,
             linalg, losses, neural, pool, reductions, shape, shape_join)
__all__ = sorted({name for family in _FAMILIES for name in family.__all__})
