"""shared_ops: every op defined once (kernel, shape rule, gradient rule, flags), used by both
the eager and the static mode through one dispatch seam.

    >>> import numpy as np, shared_ops as ops
    >>> ops.add(np.ones(2, np.float32), 1.5)
    array([2.5, 2.5], dtype=float32)
"""

import numpy as _np

# Float exceptions follow IEEE and PyTorch: log(0) is -inf and 0/0 is nan, silently. NumPy would
# warn from inside our kernels, pointing at framework lines; the modes' anomaly/check-numerics
# options are the place to catch these. Setting this once is far cheaper than np.errstate
# around each kernel (2 us per call, measured), which would double the eager op overhead.
_np.seterr(divide="ignore", over="ignore", under="ignore", invalid="ignore")

from .heap_reuse import keep_freed_memory as _keep_freed_memory  # noqa: E402

_keep_freed_memory()  # freed arrays stay in the heap: no page faults a step (heap_reuse.py)

from . import dtypes  # noqa: E402
from .aval import Aval, aval_of, broadcast_shapes  # noqa: E402
from .composite_calls import decomposed  # noqa: E402
from .control_flow import cond, register_control_flow, scan, while_loop  # noqa: E402
from .dispatch import register_mode  # noqa: E402
from .errors import (  # noqa: E402
    DTypeError,
    DualgraphError,
    GradientError,
    OpError,
    OpIndexError,
    OpValueError,
    ShapeError,
    SourceLocation,
    register_framework_dir,
    user_location,
)
from .kernel_run import run_kernel  # noqa: E402
from .ops import *  # noqa: E402, F403
from .ops import __all__ as _op_names  # noqa: E402
from .registry import OPS, Composite, Op, composite, composites, primitive, primitives  # noqa: E402

# The public namespace: the framework pieces above, then every op by name.
__all__ = [
    "Aval", "Composite", "DTypeError", "DualgraphError", "GradientError", "OPS", "Op", "OpError",
    "OpIndexError", "OpValueError", "ShapeError", "SourceLocation", "aval_of",
    "broadcast_shapes", "composite", "composites", "cond", "decomposed", "dtypes", "primitive",
    "primitives",
    "register_control_flow", "register_framework_dir", "register_mode", "run_kernel", "scan",
    "user_location", "while_loop", *_op_names,
]
