"""Spatial transformers in ``eager.nn.functional``: `affine_grid` and `grid_sample`, with
PyTorch's argument checks, messages and its warning when ``align_corners`` is left unset;
the work is the shared ops' (shared_ops/ops/grid_sample.py).

    >>> import eager
    >>> theta = eager.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> affine_grid(theta, (1, 1, 1, 2), align_corners=False).tolist()
    [[[[-0.5, 0.0], [0.5, 0.0]]]]
"""

from __future__ import annotations

import warnings
from typing import Any

import shared_ops as ops

_DEFAULT_CHANGED = ("Default grid_sample and affine_grid behavior has changed to "
                    "align_corners=False since 1.3.0. Please specify align_corners=True if the "
                    "old behavior is desired. See the documentation of grid_sample for details.")


def _align_corners(value: bool | None) -> bool:
    if value is None:
        warnings.warn(_DEFAULT_CHANGED, UserWarning, stacklevel=3)
        return False
    return bool(value)


def affine_grid(theta: Any, size: Any, align_corners: bool | None = None) -> Any:
    """The sampling grid of the affine maps ``theta`` (N, 2, 3) for an output of ``size``
    (N, C, H, W): ``(N, H, W, 2)``; or (N, 3, 4) and (N, C, D, H, W): ``(N, D, H, W, 3)``."""
    align = _align_corners(align_corners)
    size = tuple(int(s) for s in size)
    if len(size) not in (4, 5):
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    k = len(size) - 2
    if tuple(theta.shape) != (size[0], k, k + 1):
        what = "Nx2x3" if k == 2 else "Nx3x4"
        raise ValueError(f"Expected a batch of {k}D affine matrices of shape {what} for size "
                         f"{size}. Got torch.Size({list(theta.shape)}).")
    if min(size[2:]) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if align and min(size[2:]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      UserWarning, stacklevel=2)
    return ops.affine_grid(theta, size, align_corners=align)


def grid_sample(input: Any, grid: Any, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Any:
    """``input`` (N, C, H, W) sampled at ``grid`` (N, Ho, Wo, 2) of (x, y) in [-1, 1], or
    (N, C, D, H, W) at (N, Do, Ho, Wo, 3) of (x, y, z): ``mode`` "bilinear" (trilinear in
    3-d) or "nearest"; ``padding_mode`` "zeros", "border" or "reflection"."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    align = _align_corners(align_corners)
    if mode == "bicubic":
        raise NotImplementedError("grid_sample: mode='bicubic' is not supported (bilinear or "
                                  "nearest)")
    if input.ndim not in (4, 5):
        raise RuntimeError("grid_sampler(): expected 4D or 5D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(input.shape)} and "
                           f"grid with sizes {list(grid.shape)}")
    if grid.ndim != input.ndim or grid.shape[0] != input.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in last "
                           f"dimension, but got grid with sizes {list(grid.shape)}")
    return ops.grid_sample(input, grid, mode=mode, padding_mode=padding_mode,
                           align_corners=align)


__all__ = ["affine_grid", "grid_sample"]
