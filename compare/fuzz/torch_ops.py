"""PyTorch spellings of the fuzzer ops that are not one torch call (imported only when torch
is installed: torch is a test oracle, never a dependency of the library).

NumPy-style arguments (``axis=None`` meaning all axes, ``transpose(axes=None)`` reversing,
``np.pad`` width pairs) are translated here so the catalog's torch templates stay one-liners.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812


def _dims(x: torch.Tensor, axis) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def reduce(name: str, x: torch.Tensor, axis, keepdims: bool) -> torch.Tensor:
    """``sum``/``mean``/``max``/``min``/``logsumexp``/``var`` over NumPy-style ``axis``."""
    dims = _dims(x, axis)
    if not dims:  # a 0-d input: every reduction of one element is that element (var: nan)
        return x * float("nan") if name == "var" else x * 1.0
    if name == "sum":
        return torch.sum(x, dim=dims, keepdim=keepdims)
    if name == "mean":
        return torch.mean(x, dim=dims, keepdim=keepdims)
    if name == "max":
        return torch.amax(x, dim=dims, keepdim=keepdims)
    if name == "min":
        return torch.amin(x, dim=dims, keepdim=keepdims)
    if name == "logsumexp":
        return torch.logsumexp(x, dim=dims, keepdim=keepdims)
    if name == "var":
        return torch.var(x, dim=dims, correction=1, keepdim=keepdims)
    raise ValueError(f"unknown reduction {name!r}")


def transpose(x: torch.Tensor, axes) -> torch.Tensor:
    """NumPy's transpose: ``axes=None`` reverses the dims."""
    return x.permute(tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


def squeeze(x: torch.Tensor, axis) -> torch.Tensor:
    return x.squeeze() if axis is None else x.squeeze(axis)


def pad(x: torch.Tensor, widths) -> torch.Tensor:
    """``np.pad(x, ((b0, a0), (b1, a1), ...))``: F.pad lists pairs from the last dim."""
    flat: list[int] = []
    for before, after in reversed(widths):
        flat += [before, after]
    return F.pad(x, flat, mode="constant", value=0.0)


def loop(v: torch.Tensor, n: int) -> torch.Tensor:
    """The fuzzer's while_loop body, ``v <- v / 2 + sin(v)``, ``n`` times."""
    for _ in range(n):
        v = v * 0.5 + torch.sin(v)
    return v


def scan(c: torch.Tensor, xs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The fuzzer's scan, ``(c, x) -> (c / 2 + x, c * x)``, over the leading axis of ``xs``."""
    ys = []
    for x in xs:
        c, y = c * 0.5 + x, c * x
        ys.append(y)
    return c, torch.stack(ys)
