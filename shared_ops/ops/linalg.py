"""Linear algebra: matmul (primitive), with batching and 1-D operands exactly as NumPy.

* 2-D @ 2-D: the matrix product; ``(n, k) @ (k, m) -> (n, m)``.
* N-D: the last two dims are matrices, the leading dims broadcast: ``(b, 1, n, k) @
  (h, k, m) -> (b, h, n, m)``.
* A 1-D left operand is a row vector whose dim is then dropped: ``(k,) @ (k, m) -> (m,)``;
  a 1-D right operand is a column vector: ``(n, k) @ (k,) -> (n,)``; both 1-D: a scalar.

    >>> import numpy as np
    >>> matmul(np.ones((2, 3)), np.ones(3))
    array([3., 3.])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from ._rules import shape_of
from .elementwise import ALL, unbroadcast
from .shape import expand_dims, squeeze, transpose


# --- matmul: primitive -------------------------------------------------------------------------
def _matmul_rule(x: Aval, y: Aval) -> Aval:
    if x.ndim == 0 or y.ndim == 0:
        raise ShapeError("matmul", f"both operands need at least one dim, got shapes "
                         f"{describe_shapes(x.shape, y.shape)}", shapes=[x.shape, y.shape])
    k1 = x.shape[-1]
    k2 = y.shape[-2] if y.ndim >= 2 else y.shape[0]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("matmul", f"shapes {describe_shapes(x.shape, y.shape)} do not align "
                         f"({k1} != {k2})", shapes=[x.shape, y.shape])
    batch = broadcast_shapes("matmul", x.shape[:-2], y.shape[:-2])
    rows = x.shape[-2:-1]  # () for a 1-D left operand
    cols = y.shape[-1:] if y.ndim >= 2 else ()
    return Aval(batch + rows + cols, x.dtype)


def matrix_transpose(a):
    """``a`` with its last two dims swapped (``a.mT``), a view."""
    n = len(shape_of(a))
    return transpose(a, axes=tuple(range(n - 2)) + (n - 1, n - 2))


def _matmul_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    x_vec, y_vec = len(shape_of(x)) == 1, len(shape_of(y)) == 1
    # Give 1-D operands their matrix form, (k,) -> (1, k) or (k, 1), and the gradient the
    # dims they dropped; compute as matrices; drop those dims again at the end.
    x2 = expand_dims(x, axis=0) if x_vec else x
    y2 = expand_dims(y, axis=1) if y_vec else y
    if x_vec and y_vec:
        g2 = expand_dims(g, axis=(0, 1))
    elif x_vec:
        g2 = expand_dims(g, axis=-2)
    elif y_vec:
        g2 = expand_dims(g, axis=-1)
    else:
        g2 = g
    batched = len(shape_of(x2)) > 2 or len(shape_of(y2)) > 2  # batch dims: sum them away
    gx = gy = None
    if needs[0]:
        gx = matmul(g2, matrix_transpose(y2))
        gx = unbroadcast(gx, x2) if batched else gx
        gx = squeeze(gx, axis=0) if x_vec else gx
    if needs[1]:
        gy = matmul(matrix_transpose(x2), g2)
        gy = unbroadcast(gy, y2) if batched else gy
        gy = squeeze(gy, axis=1) if y_vec else gy
    return gx, gy


def _matmul_into(w):
    return w.call(np.matmul, w.arg(0), w.arg(1), out=w.out)


def _matmul_torch_name(attrs, ndims, constants) -> str:
    # PyTorch's matmul dispatches by rank: dot, mv, mm, or a batched product (a view of bmm).
    return {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (2, 2): "MmBackward0",
            (1, 2): "SqueezeBackward4"}.get(tuple(ndims[:2]), "UnsafeViewBackward0")


matmul = primitive("matmul", np.matmul, _matmul_rule, _matmul_vjp, promote=True, fresh=True,
                   into=_matmul_into, linear_in="each", torch_name=_matmul_torch_name,
                   doc="The matrix product, with NumPy's batching and 1-D rules.")

__all__ = ["matmul"]
