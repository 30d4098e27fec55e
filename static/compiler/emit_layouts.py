"""Operand layouts that make small NumPy calls cheaper, for the calls `form_writer` writes.

On a small model every statement is a NumPy call of about a microsecond, most of it fixed
cost, and some layouts cost twice as much as others for the same arithmetic. Measured on
this project's 2-core machine (NumPy 2.4, float32, in place):

* a broadcasting ufunc takes NumPy's general iterator: ``(1, 256) + (256,)`` 1.39 us and
  ``(32, 1) + (1,)`` 1.36 us, against 0.62 us for the same elements as ``(256,) + (256,)``
  or ``(32, 1) + 0-d``. So an operand with one element becomes a 0-d view, and a call whose
  operands differ from the output's shape only by 1-dims (a batch of one) runs on flat views;
* an output and an input that are one buffer must be one *object* (``out=`` the same view
  as the input): two different views of one buffer cost 0.25 us of overlap analysis more;
* a sum over the leading axis of a 2-d array (a bias gradient) as ``ones @ g``: 0.84 against
  1.81 us on 32x5, 2.1 against 5.7 us on 128x256, 7.9 against 23 us on 512x256 (BLAS gemv
  against NumPy's row-by-row reduction); from 512x1024 (44 against 75 us) the reduction wins;
* a small 2-d product as ``np.dot`` rather than ``np.matmul`` (`dot_is_cheaper`).

These are choices of the compiler, keyed by the NumPy function a call makes, never by op.

Views are made once per plan (``bind(("view", name, shape), hint)``) from an operand's
*home*: the planned buffer, variable or constant array holding it, C-contiguous, so the view
sees every later value written there. An operand without one (a feed, a fresh result) is
reshaped at run time only where that is still cheaper (the 0-d case).
"""

from __future__ import annotations

import math

import numpy as np

# Largest leading-axis sum (elements) computed as ``ones @ g``; see the module docstring.
_DOT_SUM_MAX = 1 << 18


def _size(shape) -> int:
    return math.prod(shape)


def home(node, local: dict, bound: dict, plan) -> str | None:
    """The bound name of the C-contiguous array that holds ``node``'s value for the whole
    step (its planned buffer in ``plan``, or the variable, constant or plan-time value bound
    under ``local[node]``), so that a view of it made once sees every value written there;
    None for anything else (feeds, fresh results, views made at run time)."""
    if node in plan.buffer_of:
        return f"_b{plan.buffer_of[node]}"
    name = local.get(node)
    value = bound.get(name) if name is not None else None
    if isinstance(value, np.ndarray) and value.flags.c_contiguous and node.op != "assign":
        return name
    return None


def ufunc_operands(args: list[str], in_avals: list, out: str, out_aval,
                   homes: list | None, bind) -> tuple[list[str], str]:
    """``(args, out)`` for an elementwise call into the planned buffer ``out``, rewritten to
    the cheaper layouts above; unchanged when nothing applies (or ``homes`` is None).

    ``homes[k]``: the bound name of the C-contiguous array holding operand k, or None.
    """
    shape = tuple(out_aval.shape)
    n = _size(shape)
    if homes is None or n <= 1 or None in shape or any(None in a.shape for a in in_avals):
        return args, out
    sizes = [_size(a.shape) for a in in_avals]
    if any(s not in (1, n) for s in sizes):
        return args, out  # a real broadcast (a bias over a batch): nothing cheaper here
    new = list(args)
    for k, aval in enumerate(in_avals):  # one element: a 0-d view broadcasts for free
        if sizes[k] == 1 and tuple(aval.shape) != ():
            new[k] = bind(("view", homes[k], ()), f"{homes[k]}_0d") if homes[k] else \
                f"{args[k]}.reshape(())"
    reshaped = [k for k, aval in enumerate(in_avals)
                if sizes[k] == n and tuple(aval.shape) != shape]
    if not reshaped or any(homes[k] is None for k, s in enumerate(sizes) if s == n):
        return new, out
    # Operands of the output's size in another shape (a batch of one against a bias):
    # every such operand and the output as flat views; the output's own view object also
    # stands for any operand that is the output buffer (see the module docstring).
    flat = (n,)
    out_flat = bind(("view", out, flat), f"{out}_flat")
    for k, s in enumerate(sizes):
        if s == n:
            if homes[k] == out:
                new[k] = out_flat
            elif tuple(in_avals[k].shape) != flat:
                new[k] = bind(("view", homes[k], flat), f"{homes[k]}_flat")
    return new, out_flat


def dot_is_cheaper(x, y, out) -> bool:
    """``np.dot`` for ``np.matmul``: small 2-d products of the output's dtype (np.dot's
    ``out=`` must be C-contiguous of exactly that dtype, which planned buffers are): 0.5 us
    less per call, without the gufunc machinery. NOTE: on large products np.dot measured ~1%
    slower than np.matmul (W3 of benchmarks/bench_static.py), so those keep matmul."""
    return all(len(a.shape) == 2 and None not in a.shape and a.dtype == out.dtype
               for a in (x, y)) and out.dtype.kind == "f" and \
        x.shape[0] * x.shape[1] * y.shape[1] <= 1 << 20


def leading_ones(in_aval, out_aval, bind) -> str | None:
    """The bound ``ones`` vector that makes the sum of a 2-d ``g`` over its first axis into
    an array of ``out_aval`` (shape ``(cols,)``: a bias gradient) the product ``ones @ g``,
    when that is the cheaper call; else None."""
    if len(in_aval.shape) != 2 or None in in_aval.shape:
        return None
    rows, cols = in_aval.shape
    dtype = np.dtype(out_aval.dtype)
    if dtype not in (np.float32, np.float64) or np.dtype(in_aval.dtype) != dtype or \
            tuple(out_aval.shape) != (cols,) or rows * cols > _DOT_SUM_MAX or rows < 2:
        return None
    return bind(("ones", (rows,), dtype), "ones")


# The ufuncs of in-place updates that Python spells as an operator on NumPy scalars.
_SYMBOLS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/"}


def scalar_update(ufunc, target: str, homes: list, avals: list, bind) -> str | None:
    """``v[()] = w[()] - g[()]``: the in-place update of a one-element float variable as
    NumPy scalar arithmetic (the same IEEE operation in the same dtype), 0.33 us where
    ``np.subtract(w, g, out=w)`` on one element costs 1.38 us (NumPy's in-place ufunc
    machinery, far slower for one element than for two). ``target``: the variable's bound
    name; ``ufunc``: the update's; ``homes``/``avals``: its operands. None when it does not
    apply."""
    if ufunc not in _SYMBOLS or any(h is None for h in homes) or \
            any(None in a.shape or _size(a.shape) != 1 or np.dtype(a.dtype).kind != "f"
                for a in avals):
        return None
    a, b = (bind(("view", h, ()), f"{h}_0d") + "[()]" for h in homes)
    return f"{bind(('view', target, ()), f'{target}_0d')}[()] = {a} {_SYMBOLS[ufunc]} {b}"


def total_operands(buffer: str, aval, bind) -> tuple[str, str] | None:
    """``(g_flat, ones)``, bound names whose product ``g_flat @ ones`` is the sum of every
    element of the array bound as ``buffer``, for a small float array (1.15 us against
    1.74 us for ``np.add.reduce``; the result may differ in the last bits: BLAS adds in
    another order). None where the reduction is kept."""
    n = _size(aval.shape) if None not in aval.shape else 0
    if np.dtype(aval.dtype) not in (np.float32, np.float64) or not 2 <= n <= _DOT_TOTAL_MAX:
        return None
    return (bind(("view", buffer, (n,)), f"{buffer}_flat"),
            bind(("ones", (n,), aval.dtype), "ones"))


# Largest total (elements) taken as a dot product: beyond, the fixed cost saved is noise
# and NumPy's pairwise summation rounds better than BLAS's few running sums.
_DOT_TOTAL_MAX = 1 << 12
