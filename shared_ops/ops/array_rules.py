"""When a gradient rule may run as plain NumPy: `on_arrays`.

A gradient rule is written with ops, so that it runs under any mode (eager Tensors record a
differentiable backward, static Nodes stage one). The eager backward calls it on plain arrays;
a fused primitive whose rule is many small ops may then take a NumPy form of the same math
instead (one dispatch per op costs more than its arithmetic on small arrays). The two forms
are held equal by the tests of each primitive.

    >>> import numpy as np
    >>> on_arrays(np.ones(2), (np.ones(2), np.zeros(3)))
    True
"""

from __future__ import annotations

import numpy as np


def on_arrays(g, inputs: tuple) -> bool:
    """True when the cotangent and every input are NumPy arrays (not Tensors, Nodes or
    Python numbers): the rule is being evaluated, not recorded or staged."""
    return type(g) is np.ndarray and all(type(v) is np.ndarray for v in inputs)


