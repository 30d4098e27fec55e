"""Running sums and products: cumsum, cumprod (primitives) and prod (primitive, whose
gradient is built from cumulative products).

Dtypes follow PyTorch: bool and integer inputs accumulate in int64 (``dtype=`` casts the
input first, as ``torch.cumsum(x, 0, dtype=torch.float32)``); floats keep their dtype.

Gradients with zeros in the input are exact, as PyTorch's: nothing divides by the input.
``prod``'s gradient at position k is the product of all the *other* entries (the exclusive
products from the left times those from the right), ``cumprod``'s splits the input at its
first zero along ``dim``. Both are op programs, so second derivatives work too.

    >>> import numpy as np
    >>> cumsum(np.array([1, 2, 3]), dim=0), prod(np.array([[1.0, 2.0], [3.0, 0.0]]), dim=1)
    (array([1, 3, 6]), array([2., 0.]))
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, normalize_axis
from ..registry import primitive
from ._dims import dim_of
from ._rules import shape_of
from .bitwise import bitwise_and
from .elementwise import add, cast, div, mul
from .elementwise_logic import eq, ge, where
from .indexing import index
from .reductions import sum  # noqa: A004
from .reorder import flip
from .shape import broadcast_to, expand_dims, reshape
from .shape_join import pad

_ALL = ("slice", None, None, None)


def _out_dtype(name: str, x, dtype) -> np.dtype:
    if dtype is not None:
        dtype = np.dtype(dtype)
        dt.check_supported(dtype, op=name)
        return dtype
    return dt.int64 if x.dtype.kind in "biu" else x.dtype


def _accumulate(name: str, ufunc):
    def kernel(x, dim, dtype=None):
        d = dim_of(name, dim, x.ndim)
        out = _out_dtype(name, x, dtype)
        x = x.astype(out, copy=False)
        if x.ndim == 0:
            return x.copy()
        if out.kind == "f" and out.itemsize < 8:
            # PyTorch's CPU kernels carry float16/float32 running sums and products in double
            return ufunc.accumulate(x.astype(np.float64), axis=d).astype(out)
        return ufunc.accumulate(x, axis=d, dtype=out)  # not NumPy's widened 8/16-bit ints

    return kernel


def _accumulate_rule(name: str):
    def rule(x: Aval, dim, dtype=None) -> Aval:
        dim_of(name, dim, x.ndim)
        return Aval(x.shape, _out_dtype(name, x, dtype))

    return rule


def _back_to(grad, x):
    """The gradient in x's dtype (``dtype=`` may have widened the output); None for an
    integer input (``dtype=float`` on ints: nothing to differentiate)."""
    if x.dtype.kind not in "fc":
        return None
    return grad if grad.dtype == x.dtype else cast(grad, dtype=x.dtype)


def _plain_grad(g, x) -> tuple | None:
    """The gradient where there is nothing to accumulate: none for an integer input, ``g``
    itself (in x's dtype) for a 0-d one; None when the op's own rule must run."""
    if x.dtype.kind not in "fc":
        return (None,)
    if len(shape_of(x)) == 0:
        return (_back_to(g, x),)
    return None


def reverse_cumsum(g, dim: int):
    """Sums from each position to the end along ``dim``: the adjoint of cumsum."""
    return flip(cumsum(flip(g, dims=dim), dim=dim), dims=dim)


def shift_right(v, dim: int, fill):
    """``v`` moved one place along ``dim``, ``fill`` entering first and the last entry
    dropped (exclusive running products start from it); works for unknown sizes."""
    nd = len(shape_of(v))
    d = normalize_axis("shift", dim, nd)
    widths = tuple((1, 0) if i == d else (0, 0) for i in range(nd))
    return index(pad(v, pad_width=widths, value=fill),
                 key=(_ALL,) * d + (("slice", None, -1, None),))


# --- cumsum: primitive -------------------------------------------------------------------------
def _cumsum_vjp(g, inputs, out, dim, dtype=None):
    (x,) = inputs
    return _plain_grad(g, x) or (_back_to(reverse_cumsum(g, dim), x),)


cumsum = primitive("cumsum", _accumulate("cumsum", np.add), _accumulate_rule("cumsum"), _cumsum_vjp,
                   doc="Running sums along ``dim`` (torch.cumsum); bool/int give int64.")


# --- cumprod: primitive ------------------------------------------------------------------------
def _zero_aware_grad(g, x, out, dim: int):
    """cumprod's gradient, exact with zeros: d out_j / d x_k = prod_{i <= j, i != k} x_i.

    Before the first zero along dim ("alive") that is out_j / x_k, and the terms with j past
    the zero vanish by themselves (out_j = 0 there). At the first zero z, out_j / x_z is
    0 / 0: its gradient is the reverse cumsum of g times the running product with x_z taken
    as 1. After z every term holds the factor x_z = 0. Returns the gradient, the first-zero
    mask, the zero counts so far, and x and its cumprod with x_z taken as 1."""
    zeros_so_far = cumsum(eq(x, 0), dim=dim)
    alive = eq(zeros_so_far, 0)
    first_zero = bitwise_and(eq(x, 0), eq(zeros_so_far, 1))
    before = div(reverse_cumsum(mul(g, out), dim), where(alive, x, 1))
    x1 = where(first_zero, 1, x)
    out1 = cumprod(x1, dim=dim)
    at_zero = reverse_cumsum(mul(g, out1), dim)
    grad = add(where(alive, before, 0), where(first_zero, at_zero, 0))
    return grad, first_zero, zeros_so_far, x1, out1


def _cumprod_vjp(g, inputs, out, dim, dtype=None):
    (x,) = inputs
    plain = _plain_grad(g, x)
    if plain is not None:
        return plain
    if out.dtype != x.dtype:
        x = cast(x, dtype=out.dtype)
    grad, first_zero, zeros_so_far, x1, out1 = _zero_aware_grad(g, x, out, dim)
    # Past the first zero the gradient is x_z times the gradient at x1: 0, but it moves with
    # x_z, and second derivatives need that (PyTorch's double backward has it too).
    after = where(first_zero, False, ge(zeros_so_far, 1))
    x_z = sum(where(first_zero, x, 0), axis=dim, keepdims=True)
    inner = _zero_aware_grad(g, x1, out1, dim)[0]
    grad = add(grad, where(after, mul(x_z, inner), 0))
    return (_back_to(grad, inputs[0]),)


cumprod = primitive("cumprod", _accumulate("cumprod", np.multiply), _accumulate_rule("cumprod"),
                    _cumprod_vjp,
                    doc="Running products along ``dim`` (torch.cumprod); exact gradient with "
                        "zeros.")


# --- prod: primitive ---------------------------------------------------------------------------
def _prod_kernel(x, dim=None, keepdim=False, dtype=None):
    x = x.astype(_out_dtype("prod", x, dtype), copy=False)
    if dim is None:
        # dtype= given: NumPy would widen an 8/16-bit product to its platform int (uint64 for
        # uint8); PyTorch multiplies in the dtype asked for, wrapping around.
        out = np.multiply.reduce(x, axis=None, dtype=x.dtype)
        return out.reshape((1,) * x.ndim) if keepdim else out
    d = dim_of("prod", dim, x.ndim)
    if x.ndim == 0:
        return x.copy()
    return np.multiply.reduce(x, axis=d, keepdims=keepdim, dtype=x.dtype)


def _prod_rule(x: Aval, dim=None, keepdim=False, dtype=None) -> Aval:
    out_dtype = _out_dtype("prod", x, dtype)
    if dim is None:
        return Aval((1,) * x.ndim if keepdim else (), out_dtype)
    d = dim_of("prod", dim, x.ndim)
    if x.ndim == 0:
        return Aval((), out_dtype)
    shape = tuple(1 if i == d else n for i, n in enumerate(x.shape))
    return Aval(shape if keepdim else shape[:d] + shape[d + 1:], out_dtype)


def _others_product(x, dim: int):
    """Per position, the product of every other entry along ``dim`` (no division)."""
    left = shift_right(cumprod(x, dim=dim), dim, 1)
    right = flip(shift_right(cumprod(flip(x, dims=dim), dim=dim), dim, 1), dims=dim)
    return mul(left, right)


def _prod_vjp(g, inputs, out, dim=None, keepdim=False, dtype=None):
    (x,) = inputs
    plain = _plain_grad(g, x)
    if plain is not None:
        return plain
    xs = shape_of(x)
    if dim is None:
        flat = reshape(x, shape=(-1,))
        others = _others_product(flat, 0)
        others = reshape(others, shape=xs) if None not in xs else reshape(others, x)
        g = reshape(g, shape=(1,) * len(xs)) if not keepdim else g
    else:
        d = normalize_axis("prod", dim, len(xs))
        others = _others_product(x, d)
        g = g if keepdim else expand_dims(g, axis=d)
    g = broadcast_to(g, shape=xs) if None not in xs else broadcast_to(g, x)
    return (_back_to(mul(g, cast(others, dtype=g.dtype) if others.dtype != g.dtype else others),
                     x),)


prod = primitive("prod", _prod_kernel, _prod_rule, _prod_vjp,
                 doc="The product over ``dim`` (None: all), torch.prod; bool/int give int64; "
                     "the gradient is the product of the other entries (exact with zeros).")

__all__ = ["cumsum", "cumprod", "prod"]
