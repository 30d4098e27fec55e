"""Out forms: an op computed into an array it is given, as a few NumPy calls.

A kernel allocates its result. A compiler that plans memory once per step (static/compiler)
wants to write each value into an array it owns and bind every function once, and it cannot
read that out of a kernel's body. So an op that is not one ufunc may declare, next to its
kernel, an *out form* (``into=`` of `registry.Op`): a plain function of a *writer* ``w``
that says which NumPy calls compute the op into ``w.out``:

    def _relu_into(w):
        return w.call(np.maximum, w.arg(0), w.scalar(0), out=w.out)

A form sees neither arrays nor source text: the writer decides what each call becomes. The
static compiler's writer (static/compiler/form_writer.py) turns the calls into one statement
of generated code, ``relu = _maximum(h, f32_0, out=_b3)``; `run_form` below simply makes
them, which is what a form means and what the tests hold every form to: its kernel's values.

The writer ``w`` offers:

* ``w.arg(k)``, ``w.in_avals[k]``: input ``k`` and its aval (shape and dtype, all known);
* ``w.value(k)``: input ``k``'s value when it is known before the step (a constant), else None;
* ``w.out``, ``w.out_aval``: the array to compute into (C-contiguous, of the output's aval)
  and its aval. A form that never reads ``w.out`` returns a value that needs no array of its
  own (a view of an input, or the input itself);
* ``w.attrs``: the op's attrs;
* ``w.call(fn, *args, **kwargs)``: the result of ``fn(*args, **kwargs)``. Arguments are
  operands (the values above, results of earlier calls) or plain Python values;
* ``w.scalar(value, dtype=None)``: ``value`` as a 0-d array of ``dtype`` (default: the
  output's). A ufunc converts a Python scalar operand on every call, ~0.8 us;
* ``w.scratch(shape, dtype)``: a temporary array that lives while this op runs;
* ``w.view(operand, shape)``: ``w.out`` or a scratch array reshaped, without a copy;
* ``w.overwrites(k)``: True when ``w.out`` is input ``k``'s own array (the op is
  ``inplace_safe`` and input ``k`` is not read after it). A form that writes ``w.out`` and
  then reads inputs again must read that input first (add_n adds it first).

A form returns the operand holding the op's value, or NotImplemented where it does not cover
the avals or attrs (the kernel then runs). A compiler may run a form twice for one node (the
first time to learn whether it applies, writes ``w.out`` and which scratch arrays it takes),
so a form depends only on its avals, attrs and ``w.value``, never on ``w.overwrites``.

``with_grad`` forms compute an op and its gradient op together: inputs are the op's inputs
followed by the gradient's cotangent, ``w.out`` and ``w.out_aval`` are the gradient's, and
the result is the pair (value, gradient).

    >>> import numpy as np, shared_ops as ops
    >>> run_form(ops.relu.into, [np.array([-1.0, 2.0])], {}, ops.Aval((2,), np.float64))
    array([0., 2.])
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .aval import Aval, aval_of

Form = Callable[[Any], Any]


class NumpyWriter:
    """The writer of `run_form`: operands are arrays, and every call is made at once."""

    def __init__(self, inputs: Sequence[np.ndarray], attrs: dict, out_aval: Aval,
                 overwrite: int | None = None):
        self.inputs = [np.asarray(x) for x in inputs]
        self.attrs = dict(attrs)
        self.in_avals = [aval_of(x) for x in self.inputs]
        self.out_aval = out_aval
        self._overwrite = overwrite
        self._out: np.ndarray | None = None

    @property
    def out(self) -> np.ndarray:
        if self._out is None:
            if self._overwrite is not None:
                self._out = self.inputs[self._overwrite]  # the dying input's own array
            else:
                self._out = np.empty(self.out_aval.shape, self.out_aval.dtype)
        return self._out

    def arg(self, k: int) -> np.ndarray:
        return self.inputs[k]

    def value(self, k: int) -> np.ndarray | None:
        return None  # nothing is known before the step here: forms take their general path

    def call(self, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    def scalar(self, value: Any, dtype: Any = None) -> np.ndarray:
        return np.array(value, self.out_aval.dtype if dtype is None else dtype)

    def scratch(self, shape: tuple, dtype: Any) -> np.ndarray:
        return np.empty(shape, dtype)

    def view(self, operand: np.ndarray, shape: tuple) -> np.ndarray:
        return operand.reshape(shape)

    def overwrites(self, k: int) -> bool:
        return self._overwrite == k


def run_form(form: Form, inputs: Sequence[np.ndarray], attrs: dict, out_aval: Aval,
             overwrite: int | None = None) -> Any:
    """Compute a form on ``inputs`` by making its calls (NotImplemented where it declines).
    ``overwrite``: compute into input ``overwrite``'s own array, as a compiler does for an
    ``inplace_safe`` op whose input dies there."""
    return form(NumpyWriter(inputs, attrs, out_aval, overwrite))


@functools.cache
def ufunc_form(ufunc: np.ufunc) -> Form:
    """The out form of an op that is one ufunc: ``ufunc(*inputs, out=out)``."""

    def form(w):
        return w.call(ufunc, *(w.arg(k) for k in range(len(w.in_avals))), out=w.out)

    return form


def form_of(op: Any) -> Form | None:
    """The op's out form: its ``into``, or the call of its ufunc; None when it has neither."""
    into = getattr(op, "into", None)
    if into is not None:
        return into
    ufunc = getattr(op, "ufunc", None)
    return ufunc_form(ufunc) if ufunc is not None else None


def loss_total(w: Any, values: Any, shape: tuple, reduction: str) -> Any:
    """The forms' ending of a reduced loss: the sum of ``values`` (an array operand of
    ``shape``), divided by their count for ``"mean"``, as a 0-d array. (A compiler may sum
    a small array as a dot product with ones, which can round the last bits differently
    from NumPy's pairwise sum.)"""
    total = w.call(np.add.reduce, values, None)
    if reduction == "mean":
        # A Python int divides a NumPy scalar in its own dtype (NEP 50), as the kernels do;
        # kept an int, a compiler can write the count as the size it is (``N * 5``).
        total = w.call(operator.truediv, total, math.prod(shape))
    return w.call(np.asarray, total)
