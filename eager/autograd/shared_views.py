"""``split``, ``chunk`` and ``unbind`` whose pieces share one grad_fn, as PyTorch's
(``a.grad_fn is b.grad_fn``, a ``SplitBackward0`` or ``UnbindBackward0``).

The pieces are computed by the shared Tensor methods (one slicing definition for both modes),
each recorded as a slice of the input. When they were recorded, one `MultiOutputNode` takes
their place as the grad_fn of them all: each piece knows its position (``output_nr``), the
backward walk sums each piece's gradient under its `custom_backward.OutputSlot` and calls the
node once with the list, and its rule adds every piece's slice gradient (the recorded slice
entries' own rules, so it runs on arrays and, with ``create_graph``, on Tensors). PyTorch's
node saves none of the input's values, so an in-place change of the input afterwards is no
error here either.

    >>> import eager
    >>> a, b = eager.ones(4, requires_grad=True).split(2)
    >>> a.grad_fn is b.grad_fn, type(a.grad_fn).__name__
    (True, 'SplitBackward0')
"""

from __future__ import annotations

import numpy as np

from shared_ops.composite_calls import is_decomposing
from shared_ops.tensor_api import METHODS

from .custom_backward import SHARED_NODE_TYPES, OutputSlot
from .tape_node import TapeNode
from .versions import epoch as current_epoch

_NO_OUTPUT = np.zeros(())


class _PiecesOp:
    """The op of a `MultiOutputNode`: its rule sums the pieces' slice gradients."""

    vjp_needs = False
    differentiable_output = True
    name = "split"

    @staticmethod
    def vjp(grads, inputs, out, parts):
        total = None
        for g, part in zip(grads, parts, strict=True):
            if g is None:
                continue
            op = part.op
            if op.vjp_needs:
                (gi,) = op.vjp(g, inputs, part.out, needs=(True,), **part.attrs)
            else:
                (gi,) = op.vjp(g, inputs, part.out, **part.attrs)
            total = gi if total is None else total + gi
        return (total,)


_OP = _PiecesOp()


class MultiOutputNode(TapeNode):
    """One grad_fn for all the pieces of a split (subclassed per PyTorch name)."""

    __slots__ = ("output_slots",)

    @property
    def epoch(self) -> int:
        """Always current: no value of the input is saved, so no version is compared."""
        return current_epoch()

    @epoch.setter
    def epoch(self, value: int) -> None:
        pass


def _named(name: str) -> type:
    cls = type(name, (MultiOutputNode,), {"__slots__": (), "__module__": "builtins"})
    SHARED_NODE_TYPES.add(cls)
    return cls


_SPLIT = _named("SplitBackward0")
_SPLIT_SIZES = _named("SplitWithSizesBackward0")
_UNBIND = _named("UnbindBackward0")


def share(x, pieces: tuple, cls: type) -> tuple:
    """Give ``pieces`` (slices of ``x``, each recorded on its own) one shared grad_fn."""
    parts = tuple(getattr(p, "grad_fn", None) for p in pieces)  # a traced Node has none
    if not parts or any(n is None or n.inputs[0] is not x for n in parts) or is_decomposing():
        # nothing recorded (no grad wanted), not plain slices of x, or a tape that must line
        # up with a traced graph's primitives (shared_ops.decomposed)
        return pieces
    node = cls(_OP, {"parts": parts}, (x,), (x._data,), _NO_OUTPUT, (0,), [0], 0, (True,))
    node.output_slots = tuple(OutputSlot() for _ in pieces)
    node.seq = max(n.seq for n in parts)
    for k, p in enumerate(pieces):
        p._extra = {**(p._extra or {}), "output_nr": k}
        p.grad_fn = node
    return pieces


def split(self, split_size_or_sections, dim: int = 0) -> tuple:
    """``Tensor.split``: pieces of ``split_size`` along ``dim`` (the last may be smaller), or
    of the given sizes; one ``SplitBackward0`` (``SplitWithSizesBackward0``) for them all."""
    pieces = METHODS["split"](self, split_size_or_sections, dim)
    sizes = not isinstance(split_size_or_sections, int | np.integer)
    return share(self, pieces, _SPLIT_SIZES if sizes else _SPLIT)


def chunk(self, chunks: int, dim: int = 0) -> tuple:
    """``Tensor.chunk``: ``chunks`` near-equal pieces along ``dim`` (a ``SplitBackward0``)."""
    return share(self, METHODS["chunk"](self, chunks, dim), _SPLIT)


def unbind(self, dim: int = 0) -> tuple:
    """``Tensor.unbind``: the slices along ``dim``, that dim removed (``UnbindBackward0``)."""
    return share(self, METHODS["unbind"](self, dim), _UNBIND)
