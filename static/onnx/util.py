"""Small helpers the converter tables share: axes, dtypes, casts of a node's inputs."""

from __future__ import annotations

from typing import Any

import numpy as np

# Slice bounds meaning "to the end" in either direction (ONNX clamps them, as Python does).
INT64_MAX = int(np.iinfo(np.int64).max)
INT64_MIN = int(np.iinfo(np.int64).min)


def norm_axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """``axis`` (None, an int or a sequence) as sorted non-negative axes; None: all."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    return tuple(sorted(int(a) % max(ndim, 1) for a in axes))


def inputs_as(e: Any, node: Any, x: list[str], dtype: Any) -> list[str]:
    """Every input cast to ``dtype`` where its dtype differs (ONNX ops take one type)."""
    return [e.cast(name, i.aval.dtype, dtype) for name, i in zip(x, node.inputs, strict=True)]


def as_out(e: Any, node: Any, x: list[str]) -> list[str]:
    """Every input cast to the node's output dtype."""
    return inputs_as(e, node, x, node.aval.dtype)


def common_dtype(node: Any) -> np.dtype:
    """The dtype both sides of a comparison are taken in."""
    return np.result_type(*(i.aval.dtype for i in node.inputs))


def known(shape: tuple) -> bool:
    """Whether every dim of ``shape`` is known when the graph is built."""
    return all(d is not None for d in shape)
