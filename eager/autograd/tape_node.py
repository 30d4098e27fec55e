"""The tape entry: one recorded op, the ``grad_fn`` of the tensor it produced.

A `TapeNode` keeps what its backward needs: the op and its attrs, the input Tensors (to walk the
graph and, with ``create_graph``, to run the gradient rule on Tensors), the input and output
arrays (to run the same rule on plain ndarrays, the fast path), and the version of every input
and of the output when they were saved (an in-place change afterwards is an error at backward,
never a silently wrong gradient).

Every entry is an instance of a class named as PyTorch's node for the op (``MulBackward0``,
``MmBackward0``), made once per name and cached (`node_class`), so ``type(y.grad_fn).__name__``
and printed tensors read as PyTorch's. The class of an op's entries is looked up per op in
`NODE_CLASSES`; an op whose PyTorch name depends on the call (``sum()`` is ``SumBackward0``,
``sum(dim)`` ``SumBackward1``) gets an entry that picks its class when it is made.

    >>> import eager
    >>> y = eager.ones(2, requires_grad=True) * 2
    >>> type(y.grad_fn).__name__, y.grad_fn.next_functions[1]
    ('MulBackward0', (None, 0))
"""

from __future__ import annotations

import itertools

import numpy as np

from shared_ops.op_table import OPS

from .accumulate_grad import grad_accumulator
from .edges import grad_fn_at
from .node_hooks import Node
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


class TapeNode(Node):
    """A recorded op (PyTorch's ``grad_fn``), an instance of the class named as PyTorch's node.

    ``inputs[i]`` is the i-th argument: a Tensor, or an ndarray for a constant; ``arrays`` the
    input arrays and ``out`` the output array (both None once freed); ``versions`` the inputs'
    version counters when saved (0 for constants); ``out_counter`` the output's version
    counter and ``out_version`` its value when saved; ``epoch`` the write epoch then
    (`versions.epoch`: while it is current, no version can have moved); ``needs`` which inputs
    wanted a gradient when the op ran (as in PyTorch, where an op's graph edges are fixed when
    it is recorded); ``hooks`` the output tensor's hooks, ``node_hooks`` the node's own
    (`node_hooks.NodeHooks`, None for nearly all entries).

    ``seq`` numbers entries in the order they were recorded (PyTorch's ``sequence_nr``). An
    entry's inputs were all made before it, so sorting entries by decreasing ``seq`` visits
    every consumer before its producers: that is the backward walk's order.
    """

    __slots__ = ("op", "attrs", "inputs", "arrays", "out", "versions", "out_counter",
                 "out_version", "needs", "epoch", "seq", "location", "hooks", "node_hooks",
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
        self.node_hooks = None

    # A node hook's grad_inputs hold None for inputs that take no gradient (a custom Function's
    # node shows whatever its backward returned instead).
    masks_grad_inputs = True

    def name(self) -> str:
        """``AddBackward0``: PyTorch's name for this entry."""
        cls = type(self)
        return backward_name(self.op.name, self) if cls is TapeNode else cls.__name__

    @property
    def torch_name(self) -> str:
        """The entry's PyTorch name; a composite whose output this is (``split``, ``mean``)
        assigns its own (`shared_ops.composite_calls`), which changes the entry's class."""
        return self.name()

    @torch_name.setter
    def torch_name(self, name: str) -> None:
        # Only a plain entry takes another name: a node shared by several outputs (a split's)
        # or a custom Function's keeps its own.
        if type(self).__base__ is TapeNode or type(self) is TapeNode:
            self.__class__ = node_class(name)

    @property
    def next_functions(self) -> tuple:
        """``((node, output_nr), ...)`` per input, as PyTorch's: the producing entry, an
        `AccumulateGrad` for a leaf that requires grad, None for a constant."""
        return tuple(_edge(t, need, self.seq) for t, need in zip(self.inputs, self.needs,
                                                                 strict=True))

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"


def _edge(t, need: bool, seq: int) -> tuple:
    if is_constant(t) or not need:
        return (None, 0)
    fn = grad_fn_at(t, seq)  # the one it had then, if an in-place op rebased it since
    if fn is None:
        return (grad_accumulator(t), 0)
    return (fn, t._extra.get("output_nr", 0) if t._extra else 0)


_CLASSES: dict[str, type] = {}


def node_class(name: str) -> type:
    """The `TapeNode` subclass named ``name`` (``MulBackward0``), made once.

    ``type()`` with a name from the op table: no source is generated. Its ``__module__`` is
    ``builtins``, so the class prints as PyTorch's (``<class 'MulBackward0'>``)."""
    cls = _CLASSES.get(name)
    if cls is None:
        if not name.isidentifier():
            raise ValueError(f"node_class: {name!r} is not a valid node class name")
        cls = _CLASSES[name] = type(name, (TapeNode,), {"__slots__": (),
                                                         "__module__": "builtins"})
    return cls


class _NamedPerCall(TapeNode):
    """The entry of an op whose PyTorch name depends on the call: takes its class once made
    (the op's ``torch_name(attrs, ndims, constants)`` called directly: this runs on every
    ``sum()`` and ``x ** 2``)."""

    __slots__ = ()

    def __init__(self, op, attrs, inputs, arrays, out, versions, out_counter, out_version,
                 needs) -> None:
        TapeNode.__init__(self, op, attrs, inputs, arrays, out, versions, out_counter,
                          out_version, needs)
        name = op.torch_name(attrs, [a.ndim for a in arrays],
                             [type(t) is _ndarray for t in inputs])
        self.__class__ = _CLASSES.get(name) or node_class(name)


_ndarray = np.ndarray


class _NodeClasses(dict):
    """op -> the class its entries are made with, filled on first use (ops register late)."""

    def __missing__(self, op) -> type:
        name = getattr(op, "torch_name", None)
        cls = _NamedPerCall if callable(name) else node_class(name or backward_name(op.name))
        self[op] = cls
        return cls


NODE_CLASSES: dict = _NodeClasses()
