"""conv2d by Winograd F(4x4, 3x3) as ops: the forward program eager values take, and the
gradient of ``conv2d_core`` where ``winograd.winograd_applies`` says so.

``conv2d_core``'s kernel computes the forward by ``winograd.conv_forward``; its gradient rule
then calls ``winograd_conv_vjp``, the adjoint of that computation written as an op program,
so the transformed output gradient ``A dY A^T`` is computed once for both gradients:

    dM = A^T-transform of dY                        (36, O, P)   P = N * tiles
    dx = scatter(B . (U^T @ dM))                     U = G W G^T  (36, O, C)
    dw = G^T-transform of (dM @ (B^T D B)^T)         D = the input's 6x6 tiles

``conv2d``'s immediate form (eager values) runs ``winograd_conv2d``, the forward as ops, so
the tape keeps ``B^T D B`` for the weight gradient; a static graph keeps ``conv2d_core`` (one
ONNX ``Conv``) and its rule recomputes them. Three primitives:

* ``winograd_tiles(x, padding)`` -> (36, C * N * th * tw): the overlapping 6x6 tiles of the
  padded input (``winograd.gather_tiles``), tap-major;
* ``winograd_tiles_grad(d, like=x, padding)`` -> x's shape: tiles added back where they
  overlap (each of these two is the other's adjoint, so any order of differentiation works);
* ``winograd_output(m, bias, out_size)``: the per-frequency products back to (N, O, OH, OW),
  plus the bias; its gradient is ``A dY A^T`` as ops.

Everything else is ``matmul``, ``reshape``, ``transpose``, ``pad`` and ``sum``.
"""

from __future__ import annotations

from ..aval import Aval, aval_of
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from . import winograd as wg
from ._rules import require_float, shape_of, target_shape
from .linalg import matmul
from .reductions import sum as reduce_sum
from .shape import reshape, transpose
from .shape_join import pad

_TAPS = wg.T * wg.T  # 36 frequencies (and taps) of a 6x6 tile


def _tile_count(x_shape, padding):
    """C * N * th * tw of an (N, C, H, W) input, or None while a dim is unknown."""
    n, c, h, w = x_shape
    if None in (n, c, h, w):
        return None
    th, tw = wg.tile_grid(wg.out_hw((h, w), padding))
    return c * n * th * tw


# --- winograd_tiles ----------------------------------------------------------------------------
def _tiles_kernel(x, padding):
    return wg.gather_tiles(x, padding).reshape(_TAPS, -1 if x.size else 0)


def _tiles_rule(x: Aval, padding) -> Aval:
    if len(x.shape) != 4:
        raise ShapeError("winograd_tiles", f"expected a 4-d input (N, C, H, W), got shape "
                         f"{describe_shapes(x.shape)}", shapes=[x.shape])
    require_float("winograd_tiles", x)
    hw = x.shape[2:]
    if None not in hw and min(wg.out_hw(hw, padding)) < 1:
        raise ShapeError("winograd_tiles", f"input {describe_shapes(x.shape)} (padded by "
                         f"{padding}) is smaller than a 3x3 kernel", shapes=[x.shape])
    return Aval((_TAPS, _tile_count(x.shape, padding)), x.dtype)


def _like_args(x) -> tuple[tuple, dict]:
    """A known shape goes in as the ``shape`` attr, else ``x`` itself as the like input."""
    xs = shape_of(x)
    return ((), {"shape": xs}) if None not in xs else ((x,), {})


def _tiles_vjp(c, inputs, out, padding):
    like, attrs = _like_args(inputs[0])
    return (winograd_tiles_grad(c, *like, padding=padding, **attrs),)


winograd_tiles = primitive("winograd_tiles", _tiles_kernel, _tiles_rule, _tiles_vjp,
                           fresh=True, linear_in=(0,),
                           doc="The overlapping 6x6 tiles of the padded input, (36, C*N*th*tw).")


# --- winograd_tiles_grad -----------------------------------------------------------------------
def _tiles_grad_kernel(d, *like, shape=None, padding):
    n, c, h, w = target_shape(like, shape)
    th, tw = wg.tile_grid(wg.out_hw((h, w), padding))
    return wg.scatter_tiles(d.reshape(wg.T, wg.T, c, n, th, tw), (n, c, h, w), padding)


def _tiles_grad_rule(d: Aval, *like: Aval, shape=None, padding) -> Aval:
    shape = tuple(target_shape(like, shape))
    expected = _tiles_rule(Aval(shape, d.dtype), padding).shape
    if len(d.shape) != 2 or any(a is not None and b is not None and a != b
                                for a, b in zip(d.shape, expected, strict=True)):
        raise ShapeError("winograd_tiles_grad", f"tiles of shape {describe_shapes(d.shape)} "
                         f"do not match {describe_shapes(expected)}, the tiles of an input "
                         f"{describe_shapes(shape)} padded by {padding}",
                         shapes=[d.shape, expected])
    return Aval(shape, d.dtype)


def _tiles_grad_vjp(c, inputs, out, shape=None, *, padding):
    return (winograd_tiles(c, padding=padding),) + (None,) * (len(inputs) - 1)


winograd_tiles_grad = primitive("winograd_tiles_grad", _tiles_grad_kernel, _tiles_grad_rule,
                                _tiles_grad_vjp, nondiff_inputs=(1,), fresh=True,
                                linear_in=(0,),
                                doc="Tiles (36, C*N*th*tw) added back into the input's shape.")


# --- winograd_output: the products back to an image, plus the bias ----------------------------
def _output_kernel(m, *bias, out_size):
    y = wg.untile(m, out_size)
    if bias:
        y += bias[0].reshape(1, -1, 1, 1)  # y is fresh
    return y


def _output_rule(m: Aval, *bias: Aval, out_size) -> Aval:
    if len(m.shape) != 3 or m.shape[0] not in (_TAPS, None):
        raise ShapeError("winograd_output", f"expected products of shape (36, O, tiles), got "
                         f"{describe_shapes(m.shape)}", shapes=[m.shape])
    require_float("winograd_output", m, *bias)
    o, p = m.shape[1:]
    th, tw = wg.tile_grid(out_size)
    if p is not None and p % (th * tw):
        raise ShapeError("winograd_output", f"{p} tiles are not a whole number of images of "
                         f"{th} x {tw} tiles ({out_size} outputs)", shapes=[m.shape])
    bs = bias[0].shape if bias else (o,)
    if len(bs) != 1 or None not in (o, bs[0]) and bs[0] != o:
        raise ShapeError("winograd_output", f"bias of shape {describe_shapes(bias[0].shape)} "
                         f"does not match {o} output channels", shapes=[bias[0].shape])
    return Aval((None if p is None else p // (th * tw), o, *out_size), m.dtype)


def _output_vjp(g, inputs, out, out_size, needs=(True, True)):
    o = shape_of(inputs[0])[1]
    dm = _output_tiles_grad(g, o) if needs[0] else None
    if len(inputs) == 1:
        return (dm,)
    return dm, (reduce_sum(g, axis=(0, 2, 3)) if needs[1] else None)


winograd_output = primitive("winograd_output", _output_kernel, _output_rule, _output_vjp,
                            promote=True, fresh=True, torch_name="ConvolutionBackward0",
                            doc="Products (36, O, N*th*tw) as the (N, O, OH, OW) output + bias.")


# --- the programs: forward (eager's conv2d) and the gradient of conv2d_core ---------------------
def _output_tiles_grad(g, o):
    """``A dY A^T`` of each output tile of ``g`` (N, O, OH, OW): (36, O, N * th * tw), the
    adjoint of ``winograd.untile``."""
    mats = wg.transforms(aval_of(g).dtype)
    oh, ow = shape_of(g)[2:]
    th, tw = wg.tile_grid((oh, ow))
    m = wg.M
    if (oh, ow) != (m * th, m * tw):  # the adjoint of cropping the last tiles' extra outputs
        g = pad(g, pad_width=((0, 0), (0, 0), (0, m * th - oh), (0, m * tw - ow)))
    # (N, O) -> (O, N) first, a copy in long runs: the tiles' copy then keeps the axis order
    # of its source (2x faster than one copy from (N, O, ...), docs/PERFORMANCE.md).
    g = reshape(transpose(g, axes=(1, 0, 2, 3)), shape=(o, -1, th, m, tw, m))
    tiles = reshape(transpose(g, axes=(3, 5, 0, 1, 2, 4)), shape=(m * m, -1))
    return reshape(matmul(mats["A.T"], tiles), shape=(_TAPS, o, -1))


def _kernel_tiles(w, dtype):
    """``G W G^T`` of each 3x3 kernel of ``w`` (O, C, 3, 3): (36, O, C)."""
    o, c = shape_of(w)[:2]
    flat = transpose(reshape(w, shape=(o * c, wg.R * wg.R)))
    return reshape(matmul(wg.transforms(dtype)["G"], flat), shape=(_TAPS, o, c))


def _input_tiles(x, padding, dtype):
    """``B^T D B`` of each 6x6 input tile of ``x``: (36, C, N * th * tw)."""
    c = shape_of(x)[1]
    d = winograd_tiles(x, padding=padding)
    return reshape(matmul(wg.transforms(dtype)["B"], d), shape=(_TAPS, c, -1))


def winograd_conv2d(x, w, bias, padding, dtype):
    """``conv2d(x, w, bias, padding=padding)`` (3x3, stride 1) in ``dtype`` as an op program:
    a recording mode keeps the transformed input tiles for the weight gradient."""
    m = matmul(_kernel_tiles(w, dtype), _input_tiles(x, padding, dtype))
    out_size = wg.out_hw(shape_of(x)[2:], padding)
    if bias is None:
        return winograd_output(m, out_size=out_size)
    return winograd_output(m, bias, out_size=out_size)


def winograd_conv_vjp(g, x, w, padding, needs=(True, True)):
    """``(dx, dw)`` of ``conv2d_core(x, w, padding=padding)`` (3x3, stride 1) at ``g``, the
    adjoint of ``winograd.conv_forward``; a gradient not in ``needs`` is None."""
    dtype = aval_of(g).dtype
    o, c = shape_of(w)[:2]
    dm = _output_tiles_grad(g, o)  # (36, O, P), shared by both gradients
    dx = dw = None
    if needs[0]:
        dv = matmul(transpose(_kernel_tiles(w, dtype), axes=(0, 2, 1)), dm)  # (36, C, P)
        like, attrs = _like_args(x)
        dx = winograd_tiles_grad(matmul(wg.transforms(dtype)["B.T"], reshape(dv, shape=(
            _TAPS, -1))), *like, padding=padding, **attrs)
    if needs[1]:
        v = _input_tiles(x, padding, dtype)
        du = matmul(dm, transpose(v, axes=(0, 2, 1)))  # (36, O, C): dM's P against V's P
        dw = reshape(transpose(matmul(wg.transforms(dtype)["G.T"], reshape(du, shape=(
            _TAPS, o * c)))), shape=(o, c, wg.R, wg.R))
    return dx, dw


__all__ = ["winograd_tiles", "winograd_tiles_grad", "winograd_output", "winograd_conv2d",
           "winograd_conv_vjp"]
