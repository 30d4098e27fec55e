"""Antialiased downsampling for ``F.interpolate(..., antialias=True)`` (bilinear, bicubic):
PyTorch's separable CPU kernel, the same filter PIL resizes with.

Each output pixel ``i`` averages the source pixels within ``support`` of its centre
``scale * (i + 0.5)``, weighted by the mode's filter (a triangle for bilinear, Keys' cubic with
a = -0.5 for bicubic) stretched by ``scale`` when shrinking, the weights normalised to sum to 1
(so borders renormalise rather than clamp). The weights form a constant (out, in) matrix per
axis, applied by matmul: the gradient is matmul's and it traces into static graphs unchanged.

    >>> aa_matrix(4, 2, None, "bilinear", False).round(4).tolist()
    [[0.4286, 0.4286, 0.1429, 0.0], [0.0, 0.1429, 0.4286, 0.4286]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

_INTERP_SIZE = {"bilinear": 2, "bicubic": 4}


def _filter(mode: str, x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    if mode == "bilinear":
        return np.where(x < 1.0, 1.0 - x, 0.0)
    a = -0.5  # PIL's bicubic coefficient, which PyTorch's antialiased path uses
    near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    far = (((x - 5.0) * x + 8.0) * x - 4.0) * a
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def aa_matrix(in_size: int, out_size: int, scale_factor: float | None, mode: str,
              align_corners: bool) -> np.ndarray:
    """The (out_size, in_size) float64 weights resizing one axis with antialiasing."""
    if align_corners:
        scale = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    elif scale_factor is not None and scale_factor > 0:
        scale = 1.0 / scale_factor
    else:
        scale = in_size / out_size
    half = _INTERP_SIZE[mode] * 0.5
    support = half * scale if scale >= 1.0 else half
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    weights = np.zeros((out_size, in_size))
    for i in range(out_size):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)  # int() truncates, as PyTorch's cast
        hi = min(int(center + support + 0.5), in_size)
        w = _filter(mode, (np.arange(lo, hi) - center + 0.5) * invscale)
        total = w.sum()
        weights[i, lo:hi] = w / total if total != 0 else w
    return weights


def resize_antialiased(x: Any, sizes: list[int], scales: list, mode: str,
                       align_corners: bool) -> Any:
    """``x`` (N, C, H, W) resized to ``sizes`` with antialiasing, width first as PyTorch."""
    (h_in, w_in), (h_out, w_out) = x.shape[2:], sizes
    dtype = np.dtype(x.dtype)
    ww = aa_matrix(w_in, w_out, scales[1], mode, align_corners).astype(dtype)
    wh = aa_matrix(h_in, h_out, scales[0], mode, align_corners).astype(dtype)
    return ops.matmul(wh, ops.matmul(x, np.ascontiguousarray(ww.T)))


__all__ = ["aa_matrix", "resize_antialiased"]
