"""Winograd F(4x4, 3x3) for 3x3, stride-1 convolutions: the transforms and the forward kernel.

The output is cut into 4x4 tiles; each reads a 6x6 tile of the padded input (tiles overlap by
two). With ``B``, ``G``, ``A`` the Cook-Toom matrices of F(4, 3) (``transforms``), one tile is

    Y = A^T [ (G W G^T) * (B^T D B) ] A          (``*`` elementwise over the 6x6 frequencies)

so the channel sum becomes, per frequency, one product ``(O, C) @ (C, tiles)``: 36 products
holding 4x fewer multiplications than im2col's one. Every transform runs on all tiles at once
as one BLAS product with a Kronecker matrix (``kron(B^T, B^T)`` maps a flattened 6x6 tile to
its 36 frequencies), so there is no Python loop over the batch, the tiles or the channels.

Both gradients are the exact adjoints of that computation (its transposed products), written
as ops in ``conv_winograd.py``:

* input:  dD = B [ sum_o U_o * (A dY A^T) ] B^T, tiles added back where they overlap;
* weight: dW = G^T [ sum_tiles (A dY A^T) * (B^T D B) ] G.

Rounding: the transforms scale values up and cancel, so float32 results differ from a direct
sum by ~2e-6 of the largest output (im2col: ~6e-7; float64: ~1e-15); ``winograd_applies``
keeps float16 and small problems on im2col (the measured crossover: docs/PERFORMANCE.md).
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np

M, R = 4, 3  # output tile, kernel size
T = M + R - 1  # input tile (6)
# Cook-Toom interpolation points, plus the point at infinity. NOTE: 2 and -1/2 instead of the
# usual +-2: float32 errors 2-3x smaller on random convolutions (docs/PERFORMANCE.md).
POINTS = (0, 1, -1, 2, Fraction(-1, 2))

# Below these the transforms' memory traffic outweighs the saved multiplications (measured
# crossover, docs/PERFORMANCE.md "Winograd F(4x4, 3x3) convolution").
MIN_CHANNELS = 16  # input channels C and output channels O, each
MIN_OUTPUT = 4  # output height and width, each: one whole tile


def winograd_applies(x_shape, w_shape, dtype, stride, padding, dilation, groups) -> bool:
    """Whether a convolution takes the Winograd kernels: a 3x3 kernel, stride 1, no dilation,
    one group, float32 or float64, a batch that is not known to be empty, at least
    ``MIN_CHANNELS`` channels in and out and an output of at least ``MIN_OUTPUT`` a side.
    Unknown dims (None, in a static graph) other than the batch keep im2col.

        >>> winograd_applies((64, 32, 26, 26), (64, 32, 3, 3), "float32", (1, 1), (0, 0),
        ...                  (1, 1), 1)
        True
    """
    if (len(x_shape) != 4 or len(w_shape) != 4 or tuple(w_shape[2:]) != (R, R)
            or tuple(stride) != (1, 1) or tuple(dilation) != (1, 1) or groups != 1
            or np.dtype(dtype) not in (np.float32, np.float64)
            or x_shape[0] == 0 or None in (*x_shape[1:], w_shape[0])):
        return False
    return (min(x_shape[1], w_shape[0]) >= MIN_CHANNELS
            and min(out_hw(x_shape[2:], padding)) >= MIN_OUTPUT)


def _cook_toom() -> tuple[list, list, list]:
    """Exact ``A^T`` (M x T), ``G`` (T x R) and ``B^T`` (T x T) of F(M, R) over ``POINTS``:
    Lagrange interpolation at each point, the point at infinity taking the top coefficient."""
    pts = [Fraction(p) for p in POINTS]

    def monic(roots):  # coefficients (lowest first) of prod (t - root)
        coef = [Fraction(1)]
        for root in roots:
            coef = [Fraction(0)] + coef
            for i in range(len(coef) - 1):
                coef[i] -= root * coef[i + 1]
        return coef + [Fraction(0)] * (T - len(coef))

    a_t = [[p ** j for p in pts] + [Fraction(int(j == M - 1))] for j in range(M)]
    g = []
    for i, p in enumerate(pts):
        scale = Fraction(1)
        for k, q in enumerate(pts):
            scale *= (p - q) if k != i else 1
        g.append([p ** j / scale for j in range(R)])
    g.append([Fraction(int(j == R - 1)) for j in range(R)])
    b_t = [monic([q for k, q in enumerate(pts) if k != i]) for i in range(len(pts))]
    b_t.append(monic(pts))
    return a_t, g, b_t


@functools.cache
def transforms(dtype) -> dict[str, np.ndarray]:
    """The Kronecker matrices in ``dtype``, each also transposed (C-contiguous, for BLAS):
    ``"A"`` = kron(A^T, A^T) (16 x 36), ``"G"`` = kron(G, G) (36 x 9), ``"B"`` = kron(B^T, B^T)
    (36 x 36), and ``"A.T"``, ``"G.T"``, ``"B.T"``."""
    out = {}
    for name, m in zip("AGB", _cook_toom(), strict=True):
        k = np.kron(np.array(m, dtype=np.float64), np.array(m, dtype=np.float64))
        out[name], out[name + ".T"] = k.astype(dtype), np.ascontiguousarray(k.T.astype(dtype))
    for m in out.values():
        m.flags.writeable = False  # shared by every call
    return out


def out_hw(x_hw, padding) -> tuple[int, int]:
    """The output size of a 3x3, stride-1 convolution."""
    return x_hw[0] + 2 * padding[0] - R + 1, x_hw[1] + 2 * padding[1] - R + 1


def tile_grid(hw) -> tuple[int, int]:
    """Output tiles down and across: ``ceil(OH / 4)``, ``ceil(OW / 4)``."""
    return -(-hw[0] // M), -(-hw[1] // M)


def gather_tiles(x: np.ndarray, padding) -> np.ndarray:
    """The overlapping 6x6 input tiles as one array (6, 6, C, N, th, tw): ``[i, j, c, n, a, b]``
    is the padded ``x[n, c, 4a + i, 4b + j]`` (zero beyond the input)."""
    n, c, h, w = x.shape
    th, tw = tile_grid(out_hw((h, w), padding))
    ph, pw = padding
    size = (M * th + R - 1, M * tw + R - 1)  # >= (H + 2 ph, W + 2 pw): the input always fits
    if (ph, pw) == (0, 0) and size == (h, w):
        xp = x  # the tiles cover the input exactly: read it in place
    else:
        xp = np.zeros((n, c, *size), dtype=x.dtype)
        xp[:, :, ph:ph + h, pw:pw + w] = x
    s = xp.strides
    view = np.lib.stride_tricks.as_strided(
        xp, (T, T, c, n, th, tw), (s[2], s[3], s[1], s[0], M * s[2], M * s[3]), writeable=False)
    return np.ascontiguousarray(view)


def scatter_tiles(d: np.ndarray, x_shape, padding) -> np.ndarray:
    """The adjoint of ``gather_tiles``: tiles (6, 6, C, N, th, tw) added back into an input of
    ``x_shape`` where they overlap (returned as a channel-major view)."""
    n, c, h, w = x_shape
    th, tw = d.shape[4:]
    # NOTE: one add per tap of a (C, N, th, tw) slab into a (C, N, H, W) buffer, the slab's own
    # axis order: 2-3x faster than adding into (N, C, H, W) (docs/PERFORMANCE.md).
    xp = np.zeros((c, n, M * th + R - 1, M * tw + R - 1), dtype=d.dtype)
    for i in range(T):
        for j in range(T):
            xp[:, :, i:i + M * th:M, j:j + M * tw:M] += d[i, j]
    ph, pw = padding
    return xp[:, :, ph:ph + h, pw:pw + w].transpose(1, 0, 2, 3)


def untile(m: np.ndarray, out_size) -> np.ndarray:
    """The output ``A^T M A`` of the per-frequency products ``m`` (36, O, N * th * tw), as
    (N, O, OH, OW) for ``out_size = (OH, OW)``."""
    th, tw = tile_grid(out_size)
    o = m.shape[1]
    n = m.shape[2] // (th * tw)
    y = (transforms(m.dtype)["A"] @ m.reshape(T * T, o * n * th * tw)).reshape(M, M, o, n, th, tw)
    out = np.empty((n, o, th, M, tw, M), dtype=y.dtype)
    out[...] = y.transpose(3, 2, 4, 0, 5, 1)
    out = out.reshape(n, o, th * M, tw * M)
    return out if tuple(out_size) == (th * M, tw * M) else out[:, :, :out_size[0], :out_size[1]]


def conv_forward(x: np.ndarray, w: np.ndarray, padding) -> np.ndarray:
    """``conv2d(x, w, padding=padding)`` for a 3x3 kernel, stride 1, as (N, O, OH, OW)."""
    mats = transforms(x.dtype)
    n, o, c = x.shape[0], w.shape[0], w.shape[1]
    size = out_hw(x.shape[2:], padding)
    th, tw = tile_grid(size)
    v = mats["B"] @ gather_tiles(x, padding).reshape(T * T, c * n * th * tw)
    u = (mats["G"] @ w.reshape(o * c, R * R).T).reshape(T * T, o, c)
    return untile(np.matmul(u, v.reshape(T * T, c, n * th * tw)), size)
