"""Op cases for the Winograd path of conv2d (shared_ops/ops/winograd.py, conv_winograd.py),
part of cases_neural.CASES: the tile primitives against loops over tiles and taps, and
conv2d_core at sizes where ``winograd_applies`` picks the Winograd kernels, so the walk checks
that forward and its gradient program against the loop reference, finite differences, torch
and a second differentiation.
"""

from __future__ import annotations

import numpy as np
from cases_conv import conv_ref
from opcases import OpCase

from shared_ops.ops.winograd import winograd_applies

rng = np.random.default_rng(20261207)


def _grid(hw, padding):
    return tuple(-(-(hw[i] + 2 * padding[i] - 2) // 4) for i in (0, 1))


def tiles_ref(x, padding):
    """(36, C * N * th * tw): tap (i, j) of tile (a, b) reads padded x at (4a + i, 4b + j)."""
    n, c = x.shape[:2]
    th, tw = _grid(x.shape[2:], padding)
    xp = np.zeros((n, c, 4 * th + 2, 4 * tw + 2))
    xp[:, :, padding[0]:padding[0] + x.shape[2], padding[1]:padding[1] + x.shape[3]] = x
    out = np.zeros((6, 6, c, n, th, tw))
    for i, j, a, b in np.ndindex(6, 6, th, tw):
        out[i, j, :, :, a, b] = xp[:, :, 4 * a + i, 4 * b + j].T
    return out.reshape(36, -1)


def tiles_grad_ref(d, shape, padding):
    """Each tile's taps added back at the input position they read (padding dropped)."""
    n, c, h, w = shape
    th, tw = _grid((h, w), padding)
    d = d.reshape(6, 6, c, n, th, tw)
    xp = np.zeros((n, c, 4 * th + 2, 4 * tw + 2))
    for i, j, a, b in np.ndindex(6, 6, th, tw):
        xp[:, :, 4 * a + i, 4 * b + j] += d[i, j, :, :, a, b].T
    return xp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + w]


def output_ref(m, bias=None, out_size=None):
    """Each tile's 4x4 outputs A^T M A (A of F(4, 3) at the points 0, 1, -1, 2, -1/2, and
    infinity), laid out tile by tile, cropped, plus the bias."""
    a_t = np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -0.5, 0], [0, 1, 1, 4, 0.25, 0],
                    [0, 1, -1, 8, -0.125, 1]])
    th, tw = (-(-s // 4) for s in out_size)
    o = m.shape[1]
    n = m.shape[2] // (th * tw)
    freq = m.reshape(6, 6, o, n, th, tw)
    y = np.zeros((n, o, 4 * th, 4 * tw))
    for a, b in np.ndindex(th, tw):
        tile = np.einsum("ik,klon,jl->noij", a_t, freq[:, :, :, :, a, b], a_t)
        y[:, :, 4 * a:4 * a + 4, 4 * b:4 * b + 4] = tile
    y = y[:, :, :out_size[0], :out_size[1]]
    return y if bias is None else y + bias[None, :, None, None]


def _params(padding):
    return dict(stride=(1, 1), padding=(padding, padding), dilation=(1, 1), groups=1)


def _cases() -> list[OpCase]:
    cases = []
    # Tile counts that do and do not divide the output; padding 0, 1, 2; one channel.
    for shape, padding in [((2, 3, 6, 6), (0, 0)), ((1, 2, 7, 5), (1, 1)),
                           ((2, 1, 5, 9), (2, 0))]:
        x = rng.standard_normal(shape)
        tid = f"{shape[2]}x{shape[3]}-p{padding[0]}{padding[1]}"
        cases.append(OpCase("winograd_tiles", (x,), {"padding": padding}, tiles_ref, id=tid))
        d = rng.standard_normal(tiles_ref(x, padding).shape)
        cases.append(OpCase("winograd_tiles_grad", (d,), {"shape": shape, "padding": padding},
                            tiles_grad_ref, id=tid))
        cases.append(OpCase("winograd_tiles_grad", (d, x), {"padding": padding},
                            lambda d, like, padding: tiles_grad_ref(d, like.shape, padding),
                            id=tid + "-like"))
    # winograd_output: products of 1 and 2 images, outputs cropped or not, with a bias.
    for out_size, n, bias in [((8, 8), 2, False), ((5, 7), 1, True)]:
        tiles = int(np.prod([-(-s // 4) for s in out_size]))
        m = rng.standard_normal((36, 3, n * tiles))
        args = (m, rng.standard_normal(3)) if bias else (m,)
        cases.append(OpCase("winograd_output", args, {"out_size": out_size}, output_ref,
                            id=f"{out_size[0]}x{out_size[1]}-n{n}" + ("-bias" if bias else "")))
    # conv2d_core where the Winograd kernels apply: outputs 4x8 (whole tiles) and 5x7 (the
    # last tiles cropped), padding 0 and 1, batch 2 and 1.
    for xs, ws, padding in [((2, 16, 6, 10), (16, 16, 3, 3), 0),
                            ((1, 17, 5, 7), (16, 17, 3, 3), 1)]:
        params = _params(padding)
        assert winograd_applies(xs, ws, np.float64, **params)
        x, w = rng.standard_normal(xs), rng.standard_normal(ws) * 0.3
        cases.append(OpCase("conv2d_core", (x, w), params, conv_ref,
                            lambda torch, x, w, **p: torch.nn.functional.conv2d(x, w, **p),
                            id=f"winograd-p{padding}"))
    return cases


WINOGRAD_CASES: list[OpCase] = _cases()
