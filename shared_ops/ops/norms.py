"""Norms: vector_norm (primitive, torch.linalg.vector_norm) and the composites matrix_norm,
linalg_norm (torch.linalg.norm) and norm (torch.norm).

``vector_norm`` reduces |x| over ``dim`` (None: every dim): ``ord`` 2 (the default), 1,
inf / -inf (largest / smallest |x|), 0 (how many are non-zero) or any other p,
``(sum |x|**p) ** (1/p)``. Inputs must be floating, as in PyTorch (``dtype=`` casts first).

Its gradient is PyTorch's ``norm_backward``, which is *not* the textbook formula where that
divides by zero: at a zero norm the gradient is 0 (the subgradient PyTorch picks), not nan;
an entry x = 0 gets 0 for p < 1; inf-norm ties share the gradient evenly; ord 0 has a zero
gradient. The rule guards every division and power so that a second derivative does not
meet 0 * inf either.

``matrix_norm`` covers 'fro' and ord 1, -1, inf, -inf as PyTorch computes them (column or
row sums of |A|, then their max or min). The singular-value norms ('nuc', 2, -2) are
refused: dualgraph has no SVD yet.

    >>> import numpy as np
    >>> float(vector_norm(np.array([3.0, -4.0]))), float(vector_norm(np.array([3.0, -4.0]), ord=1))
    (5.0, 7.0)
"""

from __future__ import annotations

import math

import numpy as np

from ..aval import Aval, normalize_axes
from ..errors import DTypeRuntimeError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import shape_of
from ._types import Value
from .bitwise import bitwise_or
from .elementwise import cast, div, mul
from .elementwise_logic import eq, ne, where
from .elementwise_math import abs, pow, sign  # noqa: A004
from .fill import zeros_like
from .linalg_orthogonal import linalg_svdvals
from .reductions import max, min, sum  # noqa: A004
from .shape import expand_dims, squeeze, transpose


def _axes(ndim: int, dim) -> tuple[int, ...]:
    if dim is not None and not isinstance(dim, int | np.integer | tuple | list):
        raise OpValueError("vector_norm", f"dim must be None, an int or a tuple, got {dim!r}")
    return normalize_axes("vector_norm", dim if not isinstance(dim, list) else tuple(dim),
                          ndim)


def _check_ord(ord) -> float:  # noqa: A002 -- torch's name
    if isinstance(ord, bool) or not isinstance(ord, int | float | np.integer | np.floating):
        raise OpValueError("vector_norm", f"ord must be a number, got {ord!r} (the "
                           f"matrix norms 'fro' and 'nuc' are matrix_norm's)")
    return float(ord)


def _in_dtype(x: Aval, dtype) -> np.dtype:
    d = x.dtype if dtype is None else np.dtype(dtype)
    if d.kind != "f":
        raise DTypeRuntimeError("vector_norm", f"expected a floating-point input, got {d} "
                                "(pass dtype= to convert, as in PyTorch)", shapes=[x.shape],
                                dtypes=[d])
    return d


# --- vector_norm: primitive --------------------------------------------------------------------
def _vector_norm_kernel(x, ord=2, dim=None, keepdim=False, dtype=None):  # noqa: A002
    p = _check_ord(ord)
    axes = _axes(x.ndim, dim)
    x = x.astype(_in_dtype(Aval(x.shape, x.dtype), dtype), copy=False)
    a = np.abs(x)
    if math.isinf(p):
        if any(x.shape[i] == 0 for i in axes):
            raise OpValueError("vector_norm", f"cannot compute the {ord} norm of an empty "
                               f"axis (shape {x.shape}): it has no identity", shapes=[x.shape])
        return (np.max if p > 0 else np.min)(a, axis=axes, keepdims=keepdim)
    if p == 2:
        return np.sqrt(np.add.reduce(a * a, axis=axes, keepdims=keepdim))
    if p == 1:
        return np.add.reduce(a, axis=axes, keepdims=keepdim)
    if p == 0:
        return np.add.reduce(a != 0, axis=axes, keepdims=keepdim, dtype=x.dtype)
    return np.power(np.add.reduce(np.power(a, p), axis=axes, keepdims=keepdim), 1 / p)


def _vector_norm_rule(x: Aval, ord=2, dim=None, keepdim=False, dtype=None) -> Aval:  # noqa: A002
    _check_ord(ord)
    axes = _axes(x.ndim, dim)
    out_dtype = _in_dtype(x, dtype)
    if keepdim:
        shape = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    else:
        shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return Aval(shape, out_dtype)


def _vector_norm_vjp(g, inputs, out, ord=2, dim=None, keepdim=False, dtype=None):  # noqa: A002
    (x,) = inputs
    if x.dtype.kind != "f":
        return (None,)
    p = _check_ord(ord)
    axes = _axes(len(shape_of(x)), dim)
    xv = x if dtype is None or np.dtype(dtype) == x.dtype else cast(x, dtype=np.dtype(dtype))
    if not keepdim and axes:
        g, out = expand_dims(g, axis=axes), expand_dims(out, axis=axes)
    zero_norm = eq(out, 0)
    if p == 0:
        grad = zeros_like(xv)
    elif p == 1:
        grad = mul(sign(xv), g)
    elif p == 2:
        grad = mul(g, where(zero_norm, 0, div(xv, where(zero_norm, 1, out))))
    elif math.isinf(p):
        # amax / amin of |x|: the entries equal to the norm (or nan) share g evenly.
        a = abs(xv)
        hit = cast(bitwise_or(eq(a, out), ne(a, a)), dtype=g.dtype)
        grad = mul(sign(xv), mul(div(g, sum(hit, axis=axes, keepdims=True)), hit))
    elif p < 1:
        zero = eq(xv, 0)
        scaled = mul(sign(xv), where(zero, 0, pow(where(zero, 1, abs(xv)), p - 1)))
        grad = mul(mul(scaled, g), pow(out, 1 - p))
    else:
        scaled = (mul(sign(xv), pow(abs(xv), p - 1)) if p < 2 else
                  mul(xv, pow(abs(xv), p - 2)))
        grad = mul(scaled, where(zero_norm, 0, div(g, pow(where(zero_norm, 1, out), p - 1))))
    return (grad if grad.dtype == x.dtype else cast(grad, dtype=x.dtype),)


vector_norm = primitive("vector_norm", _vector_norm_kernel, _vector_norm_rule, _vector_norm_vjp,
                        torch_name="LinalgVectorNormBackward0",
                        doc="The ord-norm of x over ``dim`` (None: all), "
                            "torch.linalg.vector_norm; PyTorch's gradient (0 at a zero norm).")


# --- matrix_norm / linalg_norm / norm: composites ----------------------------------------------
def _two_dims(name: str, ndim: int, dim) -> tuple[int, int]:
    dims = normalize_axes(name, tuple(dim), ndim) if len(tuple(dim)) == 2 else ()
    if ndim < 2 or len(dims) != 2:
        raise ShapeError(name, f"needs two distinct dims of an input of at least 2 dims, got "
                         f"dim={dim!r} for {ndim} dims")
    d0, d1 = (int(d) % ndim for d in dim)
    return d0, d1


def movedim_last(A: Value, d0: int, d1: int) -> Value:  # noqa: N803
    """``A`` with dims d0 and d1 moved to the end, in that order (the matrices' rows, columns)."""
    rest = tuple(d for d in range(len(shape_of(A))) if d not in (d0, d1))
    return transpose(A, axes=rest + (d0, d1))


@composite
def matrix_norm(A: Value, ord="fro", dim=(-2, -1), keepdim: bool = False,  # noqa: A002, N803
                dtype=None) -> Value:
    """``torch.linalg.matrix_norm`` for ord 'fro', 1, -1, inf and -inf over the two ``dim``."""
    d0, d1 = _two_dims("matrix_norm", len(shape_of(A)), dim)
    if ord == "fro":
        return vector_norm(A, ord=2, dim=(d0, d1), keepdim=keepdim, dtype=dtype)
    if ord in ("nuc", 2, -2):  # from the singular values of the (d0, d1) matrices
        values = linalg_svdvals(movedim_last(A if dtype is None else cast(A, dtype=dtype), d0, d1))
        out = sum(values, axis=-1) if ord == "nuc" else (max if ord == 2 else min)(values, axis=-1)
        return expand_dims(out, axis=tuple(sorted((d0, d1)))) if keepdim else out
    if isinstance(ord, str) or ord not in (1, -1, math.inf, -math.inf):
        raise OpValueError("matrix_norm", f"ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or "
                           f"-inf, got {ord!r}")
    # ord 1: the largest column sum of |A| (sum over d0, then max over d1); inf: row sums.
    inner, outer = (d0, d1) if ord in (1, -1) else (d1, d0)
    sums = vector_norm(A, ord=1, dim=inner, keepdim=True, dtype=dtype)
    out = (max if ord > 0 else min)(sums, axis=outer, keepdims=True)
    return out if keepdim else squeeze(out, axis=(d0, d1))


@composite
def linalg_norm(A: Value, ord=None, dim=None, keepdim: bool = False,  # noqa: A002, N803
                dtype=None) -> Value:
    """``torch.linalg.norm``: a vector norm over one dim (or all of them when neither ord
    nor dim is given), a matrix norm over two."""
    ndim = len(shape_of(A))
    if isinstance(dim, int | np.integer):
        dim = (int(dim),)
    if dim is None:
        if ord is None:
            return vector_norm(A, ord=2, dim=None, keepdim=keepdim, dtype=dtype)
        if ndim not in (1, 2):
            raise ShapeError("linalg_norm", f"with ord and no dim the input must be 1-d or "
                             f"2-d, got shape {describe_shapes(shape_of(A))}",
                             shapes=[shape_of(A)])
        dim = tuple(range(ndim))
    dim = tuple(dim)
    if len(dim) == 1:
        if isinstance(ord, str):
            raise OpValueError("linalg_norm", f"ord={ord!r} is a matrix norm, but one dim "
                               f"({dim[0]}) was given")
        return vector_norm(A, ord=2 if ord is None else ord, dim=dim, keepdim=keepdim,
                           dtype=dtype)
    if len(dim) == 2:
        return matrix_norm(A, ord="fro" if ord is None else ord, dim=dim, keepdim=keepdim,
                           dtype=dtype)
    raise OpValueError("linalg_norm", f"dim must be None, one dim or two, got {dim!r}")


@composite
def norm(input: Value, p="fro", dim=None, keepdim: bool = False,  # noqa: A002
         dtype=None) -> Value:
    """``torch.norm``: 'fro' (or None) is the 2-norm over ``dim`` (all by default), a number p
    the vector p-norm over ``dim``, 'nuc' the nuclear norm."""
    if isinstance(dim, int | np.integer):
        dim = (int(dim),)
    if isinstance(p, str):
        if p == "fro" and (dim is None or len(tuple(dim)) <= 2):
            return vector_norm(input, ord=2, dim=dim if dim is None else tuple(dim),
                               keepdim=keepdim, dtype=dtype)
        dims = tuple(range(len(shape_of(input)))) if dim is None else tuple(dim)
        return matrix_norm(input, ord=p, dim=dims, keepdim=keepdim, dtype=dtype)
    return vector_norm(input, ord=2 if p is None else p, dim=dim if dim is None else tuple(dim),
                       keepdim=keepdim, dtype=dtype)


__all__ = ["vector_norm", "matrix_norm", "linalg_norm", "norm"]
