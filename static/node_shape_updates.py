"""In-place shape methods on graph values (``unsqueeze_``, ``squeeze_``, ``t_``,
``transpose_``, ``swapdims_``/``swapaxes_``, ``resize_``, ``resize_as_``): the out-of-place
op staged, then the Python object the code holds made to stand for it, as
`static.node_updates` does for value writes. Only the value's shape changes: a view's base
keeps its own (as a PyTorch view's metadata changes, not its storage), and a later write
into the reshaped view still writes through to the base.

    >>> import static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((2, 3), name="x") * 1.0
    ...     _ = x.t_()
    >>> x.op, tuple(x.aval.shape)
    ('transpose', (3, 2))
"""

from __future__ import annotations

import math

from shared_ops.tensor_api import call


def _t(x):
    if len(x.shape) > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                           f"{len(x.shape)}D")
    return call("t", x)


def _resized(x, *sizes, memory_format=None):
    """``x.resize_(sizes)`` on a value: its elements in C order, cut to the new size."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], tuple | list) else sizes
    n, have = math.prod(shape), math.prod(x.shape) if None not in x.shape else None
    if have is None or n > have:
        raise TypeError(f"resize_ to {list(shape)} on graph value {list(x.shape)}: a graph "
                        "value can only shrink or keep its size (PyTorch leaves grown "
                        "elements uninitialized); build the value with cat instead")
    flat = call("reshape", x, -1)
    return call("reshape", flat if n == have else flat[:n], shape)


def _squeeze(x, dim=None):
    return call("squeeze", x) if dim is None else call("squeeze", x, dim)


# name -> the out-of-place value; `static.node_updates` makes each an update of the object.
SHAPE_UPDATES = {
    "unsqueeze_": lambda x, dim: call("unsqueeze", x, dim),
    "squeeze_": _squeeze,
    "t_": _t,
    **dict.fromkeys(("transpose_", "swapdims_", "swapaxes_"),
                    lambda x, dim0, dim1: call("transpose", x, dim0, dim1)),
    "resize_": _resized,
    "resize_as_": lambda x, other, memory_format=None: _resized(x, tuple(other.shape)),
}
