"""Op cases of the composites of issue 16's third batch that PyTorch names after themselves
(`shared_ops/ops/torch_composites.py`): ``diag_embed``, ``deg2rad``, ``rad2deg``, ``renorm``
and ``as_strided``, walked by ``test_registry_walk.py`` (kernel vs NumPy, float64 finite
differences, torch, both modes)."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector
from opcases import torch_function as _t

CASES: list[OpCase] = []
case = case_collector(CASES)
rng = np.random.default_rng(4421)
x23 = rng.uniform(-2, 2, (2, 3))


def diag_embed_ref(x, offset=0, dim1=-2, dim2=-1):
    n = x.shape[-1] + abs(offset)
    out = np.zeros(x.shape[:-1] + (n, n), x.dtype)
    for j in range(x.shape[-1]):
        row, col = (j, j + offset) if offset >= 0 else (j - offset, j)
        out[..., row, col] = x[..., j]
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


case("diag_embed", x23, ref=diag_embed_ref, torch_fn=_t("diag_embed"), id="last-dims")
case("diag_embed", x23, offset=-1, dim1=0, dim2=2, ref=diag_embed_ref,
     torch_fn=_t("diag_embed"), id="offset-planes")
case("deg2rad", x23 * 90, ref=np.deg2rad, torch_fn=_t("deg2rad"))
case("rad2deg", x23, ref=np.rad2deg, torch_fn=_t("rad2deg"))


def renorm_ref(x, p, dim, maxnorm):
    moved = np.moveaxis(x, dim, 0)
    norms = (np.abs(moved.reshape(len(moved), -1)) ** p).sum(1) ** (1 / p)
    scale = np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return np.moveaxis(moved * scale.reshape((-1,) + (1,) * (x.ndim - 1)), 0, dim)


case("renorm", rng.uniform(-1, 1, (3, 4, 2)), p=2, dim=1, maxnorm=0.8, ref=renorm_ref,
     torch_fn=lambda torch, x, **kw: torch.renorm(x, **kw), id="some-scaled")
case("renorm", x23, p=1, dim=0, maxnorm=1.5, ref=renorm_ref,
     torch_fn=lambda torch, x, **kw: torch.renorm(x, **kw), id="p1")


def as_strided_ref(x, size, stride, storage_offset=0):
    return np.lib.stride_tricks.as_strided(x.reshape(-1)[storage_offset:], size,
                                           tuple(s * x.itemsize for s in stride)).copy()


# Overlapping windows: each element is read twice, its gradient summed.
case("as_strided", np.arange(12.0) + rng.uniform(0, 0.5, 12), size=(3, 4), stride=(2, 1),
     storage_offset=1, ref=as_strided_ref, torch_fn=_t("as_strided"), id="overlapping")
