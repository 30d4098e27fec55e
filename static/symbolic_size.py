"""Sizes of graph values that are unknown until run time: `SymbolicSize` and `Size`.

Code written for PyTorch reads sizes and computes with them: ``B, T, C = x.size()``,
``x.view(B * T, C)``, ``x.view(x.size(0), -1)``, ``cls.expand(B, -1, -1)``. In a graph traced
with an unknown batch, ``B`` is a `SymbolicSize`: an expression over dims of graph values
(``%x.size(0) * 8``) that arithmetic with ints keeps symbolic and that shape-taking methods
(``view``, ``reshape``, ``expand``, ``new_zeros``...) turn into size templates evaluated at run
time (`shared_ops.ops.runtime_shape`). Used as a number with tensors (``x / B``) it becomes
a 0-d int64 graph value (``dim_size``); a Python int it can never be (``range(B)``, ``int(B)``
raise and say why).

It compares like the ``None`` it stands for in a static shape: equal to None and to any
other unknown size (shape rules take two unknown dims to be equal), unequal to every int, so
``x.shape == (None, 3)`` still holds; ``<``/``>`` stage comparisons.

``.size()`` of a graph value is always a `Size` (a tuple, as ``torch.Size``). ``.shape`` is
too while code is traced (`static.trace`, `static.function`), for the user's own code; when
a graph is built by hand, and for the framework's code, ``.shape`` stays the static shape with
None for unknown dims (TF1's ``Tensor.shape``).

    >>> import static
    >>> with static.Graph():
    ...     x = static.placeholder((None, 4), name="x")
    ...     b = x.size(0)
    >>> b * 4, x.size()
    (%x.size(0) * 4, Size([%x.size(0), 4]))
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.errors import user_location
from shared_ops.op_table import OPS
from shared_ops.thread_state import thread_setting

_state = threading.local()
_INFIX = {"add": "+", "sub": "-", "mul": "*", "floordiv": "//", "mod": "%"}
_OP = {"add": "add", "sub": "sub", "mul": "mul", "floordiv": "floor_divide", "mod": "remainder"}


@contextmanager
def tracing_user_code() -> Iterator[None]:
    """Inside the block (this thread), code is being traced: PyTorch's semantics for the
    user's ``.shape`` and ``==`` on graph values."""
    with thread_setting(_state, "tracing", True):
        yield


def user_sees_pytorch(skip: int = 2) -> bool:
    """Whether the frame ``skip`` levels up (2: the caller of the method asking) is user code
    being traced."""
    if not getattr(_state, "tracing", False):
        return False
    frame = sys._getframe(skip)
    where = user_location(skip + 1)
    return where is not None and where.filename == frame.f_code.co_filename \
        and where.lineno == frame.f_lineno


def _is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def _operators(tag: str) -> tuple:
    """``__<tag>__`` and its reflected twin, both ``self._arith(tag, other, reflected)``."""
    def forward(self, other):
        return self._arith(tag, other)

    def reflected(self, other):
        return self._arith(tag, other, True)

    forward.__name__, reflected.__name__ = f"__{tag}__", f"__r{tag}__"
    return forward, reflected


class SizeArithmetic:
    """``+ - * // %`` with ints, either way round, as ``self._arith(tag, other, reflected)``
    (tags as in `runtime_shape`): the arithmetic of a size that keeps its expression."""

    __slots__ = ()
    __add__, __radd__ = _operators("add")
    __sub__, __rsub__ = _operators("sub")
    __mul__, __rmul__ = _operators("mul")
    __floordiv__, __rfloordiv__ = _operators("floordiv")
    __mod__, __rmod__ = _operators("mod")


class SymbolicSize(SizeArithmetic):
    """A size known at run time: an expression of ints and dims of graph values."""

    __slots__ = ("expr", "_node")
    dtype = dt.int64
    shape = ()
    ndim = 0

    def __init__(self, expr: tuple):
        self.expr = expr
        self._node = None

    def size_expression(self) -> tuple:
        """The expression, ``("dim", node, axis)`` at the leaves (see `runtime_shape`)."""
        return self.expr

    @property
    def node(self):
        """This size as a 0-d int64 graph value (staged on first use)."""
        if self._node is None:
            self._node = _stage(self.expr)
        return self._node

    # -- arithmetic: with ints it stays a size, with anything else it is a graph value ----
    def _arith(self, tag: str, other: Any, reflected: bool = False) -> Any:
        if isinstance(other, SymbolicSize):
            other = other.expr
        elif _is_int(other):
            other = int(other)
            if tag == "mul" and other in (0, 1):
                return 0 if other == 0 else self
            if tag in ("add", "sub") and other == 0 and not (reflected and tag == "sub"):
                return self
            if tag == "floordiv" and other == 1 and not reflected:
                return self
        else:
            args = (other, self.node) if reflected else (self.node, other)
            return OPS[_OP[tag]](*args)
        return SymbolicSize((tag, other, self.expr) if reflected else (tag, self.expr, other))

    def __neg__(self):
        return SymbolicSize(("neg", self.expr))

    def __pos__(self):
        return self

    def __truediv__(self, other):
        return OPS["div"](self.node, other.node if isinstance(other, SymbolicSize) else other)

    def __rtruediv__(self, other):
        return OPS["div"](other, self.node)

    # -- comparisons ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, SymbolicSize)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(None)  # equal to None, so hashed as None

    def _compare(self, name: str, other: Any):
        return OPS[name](self.node, other.node if isinstance(other, SymbolicSize) else other)

    def __lt__(self, other):
        return self._compare("lt", other)

    def __le__(self, other):
        return self._compare("le", other)

    def __gt__(self, other):
        return self._compare("gt", other)

    def __ge__(self, other):
        return self._compare("ge", other)

    # -- no Python value --------------------------------------------------------------------
    def _no_value(self, what: str) -> TypeError:
        where = user_location()
        at = f" at {where}" if where is not None else ""
        return TypeError(f"{what} of {self!r}: the size is unknown until the graph runs{at}; "
                         "pass it to view/reshape/expand/new_zeros (methods of graph values), "
                         "compute with it (it stays symbolic), or trace with a known size")

    def __index__(self) -> int:
        raise self._no_value("a Python int (index, range, list size)")

    def __int__(self) -> int:
        raise self._no_value("int()")

    def __float__(self) -> float:
        raise self._no_value("float()")

    def __bool__(self) -> bool:
        raise self._no_value("the truth value")

    def __array__(self, *args, **kwargs):
        raise self._no_value("np.asarray()")

    def __repr__(self) -> str:
        return _text(self.expr)


_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "floordiv": 2, "mod": 2, "neg": 3}


def _text(expr) -> str:
    return spell_size(expr, lambda leaf: f"%{leaf[1].name}.size({leaf[2]})")


def spell_size(expr, leaf, needed: int = 0) -> str:
    """Python's spelling of a size expression, parenthesized only where precedence needs;
    ``leaf(("dim", node, axis))`` spells each dim it reads.

    >>> spell_size(("mul", ("add", ("dim", None, 0), 1), 5), lambda leaf: "N")
    '(N + 1) * 5'
    """
    if _is_int(expr):
        return str(int(expr))
    if expr[0] == "dim":
        return leaf(expr)
    own = _PRECEDENCE[expr[0]]
    if expr[0] == "neg":
        text = f"-{spell_size(expr[1], leaf, own)}"
    else:
        text = f"{spell_size(expr[1], leaf, own)} {_INFIX[expr[0]]} " \
               f"{spell_size(expr[2], leaf, own + 1)}"
    return f"({text})" if own < needed else text


def _stage(expr):
    if _is_int(expr):
        return expr
    if expr[0] == "dim":
        return OPS["dim_size"](expr[1], axis=expr[2])
    if expr[0] == "neg":
        return OPS["neg"](_stage(expr[1]))
    a, b = _stage(expr[1]), _stage(expr[2])
    if _is_int(a):  # a Python int next to a node: weak, the node's int64
        a = np.asarray(a, dt.int64)
    return OPS[_OP[expr[0]]](a, b)


class Size(tuple):
    """A graph value's sizes, as ``torch.Size``: ints where known, `SymbolicSize` elsewhere."""

    __slots__ = ()

    def __getitem__(self, index):
        out = tuple.__getitem__(self, index)
        return Size(out) if isinstance(index, slice) else out

    def numel(self):
        """The number of elements (a `SymbolicSize` when some dim is unknown)."""
        n = 1
        for d in self:
            n = n * d
        return n

    def __repr__(self) -> str:
        return "Size([" + ", ".join(repr(d) for d in self) + "])"


def size_of(node) -> Size:
    """``node``'s sizes, unknown dims as `SymbolicSize` ``%node.size(k)``."""
    return Size(SymbolicSize(("dim", node, k)) if d is None else d
                for k, d in enumerate(node.aval.shape))
