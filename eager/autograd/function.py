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

from .versions import epoch

_SEQUENCE = itertools.count()  # `next` is atomic under the GIL: unique across threads

_TORCH_NAMES = {
    "add": "AddBackward0", "sub": "SubBackward0", "mul": "MulBackward0", "div": "DivBackward0",
    "neg": "NegBackward0", "pow": "PowBackward0", "exp": "ExpBackward0", "log": "LogBackward0",
    "sqrt": "SqrtBackward0", "abs": "AbsBackward0", "sin": "SinBackward0", "cos": "CosBackward0",
    "tanh": "TanhBackward0", "sigmoid": "SigmoidBackward0", "relu": "ReluBackward0",
    "maximum": "MaximumBackward0", "minimum": "MinimumBackward0", "clip": "ClampBackward1",
    "where": "WhereBackward0", "cast": "ToCopyBackward0", "sum": "SumBackward1",
    "mean": "MeanBackward1", "max": "MaxBackward1", "min": "MinBackward1",
    "logsumexp": "LogsumexpBackward0", "matmul": "MmBackward0", "reshape": "ViewBackward0",
    "broadcast_to": "ExpandBackward0",
    "sum_to": "SumBackward1", "expand_dims": "UnsqueezeBackward0",
    "squeeze": "SqueezeBackward1", "concat": "CatBackward0", "stack": "StackBackward0",
    "log1p": "Log1PBackward0",
    "softmax": "SoftmaxBackward0", "log_softmax": "LogSoftmaxBackward0",
    "gelu": "GeluBackward0", "conv2d": "ConvolutionBackward0",
    "max_pool2d": "MaxPool2DWithIndicesBackward0", "avg_pool2d": "AvgPool2DBackward0",
    "embedding": "EmbeddingBackward0", "nll_loss": "NllLossBackward0", "pad": "PadBackward0",
    # Eager's fused forms print as PyTorch's native ops do (cross_entropy ends in nll_loss).
    "affine": "AddmmBackward0", "clamped_bce": "BinaryCrossEntropyBackward0",
    "softmax_cross_entropy": "NllLossBackward0", "fused_softmax": "SoftmaxBackward0",
    "fused_log_softmax": "LogSoftmaxBackward0",
    "sigmoid_bce": "BinaryCrossEntropyWithLogitsBackward0",
}


def is_constant(value) -> bool:
    """True for a tape entry's input that is a plain array (a constant), not a Tensor."""
    return type(value) is np.ndarray


def _ndims(node) -> list[int]:
    return [t.ndim for t in node.inputs]


def _matmul_name(node) -> str:
    nd = _ndims(node)[:2]
    return {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (2, 2): "MmBackward0",
            (1, 2): "SqueezeBackward4"}.get(tuple(nd), "UnsafeViewBackward0")


def _index_name(node) -> str:
    kinds = {k[0] for k in node.attrs.get("key", ())}
    if kinds <= {"int"}:
        return "SelectBackward0"
    if kinds <= {"slice", "..."}:
        return "SliceBackward0"
    return "IndexBackward0"


def _transpose_name(node) -> str:
    axes = node.attrs.get("axes")
    if axes is None:
        return "PermuteBackward0" if _ndims(node)[0] > 2 else "TransposeBackward0"
    moved = [i for i, a in enumerate(axes) if i != a]
    return "TransposeBackward0" if len(moved) == 2 else "PermuteBackward0"


def _pow_name(node) -> str:
    base, exponent = node.inputs[:2]
    return "PowBackward2" if is_constant(base) else "PowBackward0" if is_constant(exponent) \
        else "PowBackward1"


# PyTorch picks an overload by arguments: sum() is SumBackward0, sum(dim) SumBackward1...
_CONTEXTUAL = {
    "sum": lambda n: "SumBackward0" if n.attrs.get("axis") is None else "SumBackward1",
    "max": lambda n: "MaxBackward1" if n.attrs.get("axis") is None else "MaxBackward0",
    "min": lambda n: "MinBackward1" if n.attrs.get("axis") is None else "MinBackward0",
    "squeeze": lambda n: "SqueezeBackward0" if n.attrs.get("axis") is None
    else "SqueezeBackward1",
    "sub": lambda n: "RsubBackward1" if is_constant(n.inputs[0]) else "SubBackward0",
    "matmul": _matmul_name,
    "index": _index_name,
    "transpose": _transpose_name,
    "pow": _pow_name,
}


def backward_name(op_name: str, node=None) -> str:
    """PyTorch's name for the backward of ``op_name`` (of ``node``, when the name depends on
    the call): a table, else ``CamelCaseBackward0``."""
    if node is not None and op_name in _CONTEXTUAL:
        return _CONTEXTUAL[op_name](node)
    name = _TORCH_NAMES.get(op_name)
    if name is None:
        name = "".join(p[:1].upper() + p[1:] for p in op_name.split("_")) + "Backward0"
    return name


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
                 "out_version", "needs", "epoch", "seq", "location", "hooks", "__weakref__")

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

    def name(self) -> str:
        """``AddBackward0``: PyTorch's name for this entry."""
        return backward_name(self.op.name, self)

    @property
    def next_functions(self) -> tuple:
        """``((grad_fn_or_None, 0), ...)`` per input, as in PyTorch (leaves show as None)."""
        return tuple((None if is_constant(t) else t.grad_fn, 0) for t in self.inputs)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"
