"""The tape entries of a write through a view: ``CopySlices`` and ``AsStridedBackward0``.

A view shares its base's memory, so an in-place op on it changes the base too. PyTorch then
rebases the base onto a ``CopySlices`` node (the written region's gradient goes through the
in-place op, the rest straight to the base's old value) and gives the view an
``AsStridedBackward0`` of the new base. Both are described here by *positions*: for every
element of the view, the flat (C-order) index of the base element it aliases, found from the
two arrays' memory layout (`positions`), so one pair of rules serves every kind of view and
chain of views (slices, reshapes, transposes, diagonals...).

Their gradient rules are written with shared ops, so they run on arrays and, with
``create_graph``, on Tensors (differentiable again). They read no saved value, only the
positions, so no later in-place write makes them stale.

    >>> import numpy as np
    >>> base = np.arange(6.0).reshape(2, 3)
    >>> positions(base[:, 1], base).tolist(), positions(base.T, base)[0].tolist()
    ([1, 4], [0, 3])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from shared_ops.op_table import OPS

from .tape_node import node_class

_INT = np.dtype(np.int64).itemsize


def root_of(t):
    """The tensor whose storage ``t`` views, following views of views (``t`` itself when it
    is not a view made by an op): PyTorch's ``_base``."""
    while True:
        extra = t._extra
        base = extra.get("base") if extra else None
        if base is None:
            return t
        t = base


def _span(a: np.ndarray) -> tuple[int, int]:
    """The first and one-past-last byte addresses ``a``'s elements occupy."""
    lo = hi = a.__array_interface__["data"][0]
    for n, st in zip(a.shape, a.strides, strict=True):
        if st < 0:
            lo += (n - 1) * st
        else:
            hi += (n - 1) * st
    return lo, hi + a.itemsize


def positions(view: np.ndarray, root: np.ndarray) -> np.ndarray | None:
    """The flat index in ``root`` of each element of ``view`` (an int64 array of ``view``'s
    shape); None when ``view`` is not a strided view of ``root``'s elements (another dtype,
    or memory ``root`` does not cover)."""
    size = root.itemsize
    if view.dtype != root.dtype or any(st % size for st in view.strides + root.strides):
        return None
    if view.size == 0:
        return np.zeros(view.shape, np.int64)
    lo, hi = _span(root)
    vlo, vhi = _span(view)
    if root.size == 0 or vlo < lo or vhi > hi:
        return None
    # A scratch int64 buffer laid out as root's memory, holding each element's flat index
    # where root's element lies: read through the view's strides, it gives the view's.
    buf = np.full((hi - lo) // size, -1, np.int64)

    def strided(a: np.ndarray) -> np.ndarray:
        start = (a.__array_interface__["data"][0] - lo) // size
        return as_strided(buf[start:], a.shape, tuple(st // size * _INT for st in a.strides))

    strided(root)[...] = np.arange(root.size).reshape(root.shape)
    found = strided(view).copy()
    return None if (found < 0).any() else found


def may_overlap(a: np.ndarray) -> bool:
    """False when ``a``'s strides prove no two elements share memory (each dim's stride, by
    size, steps over the whole extent of the smaller ones): the common case, no sort needed."""
    reach = a.itemsize
    for n, st in sorted(((n, abs(st)) for n, st in zip(a.shape, a.strides, strict=True)
                         if n > 1), key=lambda d: d[1]):
        if st < reach:
            return True
        reach += (n - 1) * st
    return False


class _ViewWriteOp:
    """The op of a ``CopySlices`` or ``AsStridedBackward0`` entry (not a registry op: it has
    no kernel, only a gradient rule that reads nothing but its attrs)."""

    vjp_needs = False
    differentiable_output = True
    reads_values = False  # no saved input or output: never stale (autograd/output_reads.py)

    def __init__(self, name: str, vjp) -> None:
        self.name = name
        self.vjp = vjp


def _dtype(g) -> np.dtype:
    return np.asarray(g).dtype  # an ndarray's, or a Tensor's storage's (no copy)


def _copy_slices_vjp(g, inputs, out, positions, mask):
    # The base's old value keeps the gradient outside the written region; the written values
    # (the in-place op's result) take the region's, gathered in the view's element order.
    rest = OPS["where"](mask, np.zeros((), _dtype(g)), g)
    return rest, OPS["getitem"](OPS["reshape"](g, shape=(-1,)), positions)


def _as_strided_vjp(g, inputs, out, positions, shape):
    # Scattered (added: a read-only view may repeat elements) into zeros of the base's shape.
    zeros = np.zeros(int(np.prod(shape)), _dtype(g))
    flat = OPS["index_put"](zeros, (positions.reshape(-1),), OPS["reshape"](g, shape=(-1,)),
                            accumulate=True)
    return (OPS["reshape"](flat, shape=shape),)


_COPY_SLICES = _ViewWriteOp("copy_slices", _copy_slices_vjp)
_AS_STRIDED = _ViewWriteOp("as_strided_view", _as_strided_vjp)


def copy_slices_node(old, written, root, where: np.ndarray):
    """The ``CopySlices`` entry making ``root``'s new value: ``old`` (a stand-in for its old
    value) with ``written`` (the in-place op's result) at the flat positions ``where``."""
    mask = np.zeros(root._data.size, bool)
    mask[where.reshape(-1)] = True
    inputs = (old, written)
    return node_class("CopySlices")(
        _COPY_SLICES, {"positions": where, "mask": mask.reshape(root._data.shape)}, inputs,
        (old._data, written._data), root._data, (old._version_counter[0],
                                                  written._version_counter[0]),
        root._version_counter, root._version_counter[0],
        (old._requires_grad, written._requires_grad))


def as_strided_node(root, view: np.ndarray, after=None, where: np.ndarray | None = None):
    """An ``AsStridedBackward0`` entry: ``view`` (an array viewing ``root``'s storage) as a
    view of ``root``. ``after``: the node of ``root`` it views when made by the backward walk
    for a stale view (numbered just after that node, so that the walk reaches it first)."""
    if where is None:
        where = positions(view, root._data)
    node = node_class("AsStridedBackward0")(
        _AS_STRIDED, {"positions": where, "shape": root._data.shape}, (root,), (root._data,),
        view, (root._version_counter[0],), root._version_counter, root._version_counter[0],
        (True,))
    if after is not None:
        node.seq = after.seq + 0.5
    return node
