"""The tape entry: one recorded op, the ``grad_fn`` of the tensor it produced.

A `TapeNode` keeps what its backward needs: the op and its attrs, the input Tensors (to walk the
graph and, with ``create_graph``, to run the gradient rule on Tensors), the input and output
arrays (to run the same rule on plain ndarrays, the fast path), and the version of every input
and of the output when they were saved (an in-place change afterwards is an error at backward,
never a silently wrong gradient). Its name follows PyTorch's (``AddBackward0``, ``MmBackward0``)
so printed tensors read the same.
"""

from __future__ import annotations

import itertools

import numpy as np

from shared_ops.op_table import OPS

from .versions import epoch

_SEQUENCE = itertools.count()  # `next` is atomic under the GIL: unique across threads


def is_constant(value) -> bool:
    """True for a tape entry's input that is a plain array (a constant), not a Tensor."""
    return type(value) is np.ndarray


def backward_name(op_name: str, node=None) -> str:
    """PyTorch's name for the backward of ``op_name`` (of ``node``, when the name depends on
    the call): the op's ``torch_name`` facet (see `shared_ops.registry.Op`), else the op's
    name in CamelCase with ``Backward0`` (``add`` -> ``AddBackward0``)."""
    name = getattr(OPS.get(op_name), "torch_name", None)
    if callable(name):  # it depends on the call: the ranks and constants of its inputs
        name = name(node.attrs, [t.ndim for t in node.inputs],
                    [is_constant(t) for t in node.inputs]) if node is not None else None
    return name or "".join(p[:1].upper() + p[1:] for p in op_name.split("_")) + "Backward0"


class TapeNode:
    """A recorded op (PyTorch's ``grad_fn``; printed with PyTorch's class names).

    ``inputs[i]`` is the i-th argument: a Tensor, or an ndarray for a constant; ``arrays`` the
    input arrays and ``out`` the output array (both None once freed); ``versions`` the inputs'
    version counters when saved (0 for constants); ``out_counter`` the output's version
    counter and ``out_version`` its value when saved; ``epoch`` the write epoch then
    (`versions.epoch`: while it is current, no version can have moved); ``needs`` which inputs
    wanted a gradient when the op ran (as in PyTorch, where an op's graph edges are fixed when
    it is recorded).

    ``seq`` numbers entries in the order they were recorded (PyTorch's ``sequence_nr``). An
    entry's inputs were all made before it, so sorting entries by decreasing ``seq`` visits
    every consumer before its producers: that is the backward walk's order.
    """

    __slots__ = ("op", "attrs", "inputs", "arrays", "out", "versions", "out_counter",
                 "out_version", "needs", "epoch", "seq", "location", "hooks", "torch_name",
                 "__weakref__")

    def __init__(self, op, attrs, inputs, arrays, out, versions, out_counter, out_version,
                 needs):
        self.op = op
        self.attrs = attrs
        self.inputs = inputs
        self.arrays = arrays
        self.out = out
        self.versions = versions
        self.out_counter = out_counter
        self.out_version = out_version
        self.needs = needs
        self.epoch = epoch()
        self.seq = next(_SEQUENCE)
        self.location = None  # the user's line, recorded only in anomaly mode (a stack walk)
        self.hooks = None  # hooks of the output tensor, run on its gradient before this node
        self.torch_name = None  # set by a composite whose output this is (composite_calls)

    def name(self) -> str:
        """``AddBackward0``: PyTorch's name for this entry."""
        return getattr(self, "torch_name", None) or backward_name(self.op.name, self)

    @property
    def next_functions(self) -> tuple:
        """``((grad_fn_or_None, 0), ...)`` per input, as in PyTorch (leaves show as None)."""
        return tuple((None if is_constant(t) else t.grad_fn, 0) for t in self.inputs)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"
