"""Layer normalization as one kernel: ``fused_layer_norm(x, weight, bias, eps)``, the
immediate form of the `layer_norm` composite when it has both a weight and a bias.

The decomposition is nine ops forward (two means, a centring, a square, a square root, a
division, the scale and shift) and about twenty-five in its gradient, each a pass over the
activations and a dispatch; a transformer normalizes twice a block. Here the forward is a few
passes over the rows of ``x`` seen as ``(rows, features)``, and the gradient is PyTorch's
``native_layer_norm_backward`` formula, one NumPy pass per term in eager mode (the gain is
in docs/PERFORMANCE.md):

    xhat = (x - mean) * rstd,   rstd = 1 / sqrt(var + eps)   (biased variance)
    dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)),   gw = g * weight
    dweight = sum(g * xhat),   dbias = sum(g)                 (over the leading dims)

The normalized dims are the trailing ``weight.ndim`` dims of ``x``. The same rule is written
with ops for every other caller (a recorded backward for second derivatives, a staged graph
when a user calls the op by name); tests/shared_ops/test_fused_layers.py holds the two equal.

    >>> import numpy as np
    >>> fused_layer_norm(np.array([[1.0, 3.0]]), np.ones(2), np.zeros(2)).round(4).tolist()
    [[-1.0, 1.0]]
"""

from __future__ import annotations

import math

import numpy as np

from ..aval import Aval
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from ._rules import require_float, shapes_agree
from .array_rules import on_arrays
from .elementwise import ALL, add, div, mul, sub
from .elementwise_math import sqrt
from .reductions import mean
from .reductions import sum as reduce_sum


def _rows(x: np.ndarray, n: int) -> np.ndarray:
    """``x`` as ``(rows, features)``, the trailing ``n`` dims being the features."""
    return x.reshape(math.prod(x.shape[:x.ndim - n]), math.prod(x.shape[x.ndim - n:]))


def _row_means(rows: np.ndarray) -> np.ndarray:
    """The mean of each row, ``(rows, 1)``. NOTE: a matrix-vector product with ``1/d``, not
    ``np.add.reduce(axis=1)``: NumPy reduces a short contiguous axis row by row (49 against
    4 us on 1024 x 64 float32, docs/PERFORMANCE.md)."""
    d = rows.shape[1]
    return (rows @ np.full(d, 1.0 / max(d, 1), rows.dtype))[:, None]


def _normalized(rows: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """``(xhat, rstd)`` of each row: a fresh centred-and-scaled copy, and ``(rows, 1)``."""
    xc = rows - _row_means(rows)
    var = _row_means(np.square(xc))
    var += eps
    rstd = np.sqrt(var, out=var)
    np.divide(1, rstd, out=rstd)
    xc *= rstd
    return xc, rstd


def _column_sums(rows: np.ndarray) -> np.ndarray:
    """The sum over the rows (the leading dims), as a vector-matrix product (see `_row_means`)."""
    return np.ones(rows.shape[0], rows.dtype) @ rows


# --- fused_layer_norm: primitive -------------------------------------------------------------
def _kernel(x, weight, bias, eps=1e-5):
    y, _ = _normalized(_rows(x, weight.ndim), eps)
    y *= weight.reshape(-1)
    y += bias.reshape(-1)
    return y.reshape(x.shape)


def _rule(x: Aval, weight: Aval, bias: Aval, eps=1e-5) -> Aval:
    n = weight.ndim
    if x.ndim < n or not shapes_agree(x.shape[x.ndim - n:], weight.shape) \
            or not shapes_agree(weight.shape, bias.shape):
        raise ShapeError("fused_layer_norm", f"input of shape {describe_shapes(x.shape)} must "
                         f"end with the weight's and the bias' shape, got "
                         f"{describe_shapes(weight.shape, bias.shape)}",
                         shapes=[x.shape, weight.shape, bias.shape])
    require_float("fused_layer_norm", x, weight, bias)
    return x


def _vjp(g, inputs, out, eps=1e-5, needs=ALL):
    if on_arrays(g, inputs):
        return _vjp_arrays(g, inputs, eps, needs)
    x, weight, bias = inputs
    n = len(weight.shape)
    rank = len(x.shape)
    axes, lead = tuple(range(rank - n, rank)), tuple(range(rank - n))
    xc = sub(x, mean(x, axis=axes, keepdims=True))
    rstd = div(1.0, sqrt(add(mean(mul(xc, xc), axis=axes, keepdims=True), eps)))
    xhat = mul(xc, rstd)
    dx = None
    if needs[0]:
        gw = mul(g, weight)
        dx = mul(rstd, sub(sub(gw, mean(gw, axis=axes, keepdims=True)),
                           mul(xhat, mean(mul(gw, xhat), axis=axes, keepdims=True))))
    dw = _lead_sum(mul(g, xhat), lead) if needs[1] else None
    db = _lead_sum(g, lead) if needs[2] else None
    return dx, dw, db


def _lead_sum(v, lead: tuple):
    """``v`` summed over the leading (batch) dims, if it has any."""
    return reduce_sum(v, axis=lead) if lead else v


def _vjp_arrays(g, inputs, eps, needs):
    """`_vjp`'s formula on NumPy arrays (the eager backward): the rows of ``x`` and ``g``."""
    x, weight, bias = inputs
    xhat, rstd = _normalized(_rows(x, weight.ndim), eps)
    g2 = _rows(g, weight.ndim)
    dx = None
    if needs[0]:
        gw = g2 * weight.reshape(-1)
        proj = _row_means(gw * xhat)
        dx = np.subtract(gw, _row_means(gw), out=gw)
        dx -= np.multiply(xhat, proj, out=xhat if not needs[1] else None)
        dx *= rstd
        dx = dx.reshape(x.shape)
    dw = _column_sums(g2 * xhat).reshape(weight.shape) if needs[1] else None
    db = _column_sums(g2).reshape(bias.shape) if needs[2] else None
    return dx, dw, db


fused_layer_norm = primitive(
    "fused_layer_norm", _kernel, _rule, _vjp, promote=True, floating=True, fresh=True,
    torch_name="NativeLayerNormBackward0",
    doc="fused_layer_norm(x, weight, bias, eps=1e-5): layer_norm over x's trailing "
        "weight.ndim dims, scaled and shifted, as one kernel.")

__all__ = ["fused_layer_norm"]
