"""Scratch buffers and cached constants: how an optimizer step allocates nothing after the
first and hands NumPy no Python numbers (see `eager.optim.optimizer` for the protocol)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import numpy as np

from ..tensor import Tensor

# What `_compute` reads as the state of a parameter that has none yet (read-only: `_compute`
# must not write into state, and one shared empty mapping saves a dict per parameter per step).
NO_STATE = MappingProxyType({})


def scratch_buffer(scratch: dict, key: str, like: np.ndarray) -> np.ndarray:
    """A reusable array like the parameter's array ``like`` (allocated on first use).

    Nothing is checked here: `Optimizer.step` keeps every array in a parameter's scratch
    shaped and typed like its current array.
    """
    buf = scratch.get(key)
    if buf is None:
        buf = scratch[key] = np.empty_like(like)
    return buf


def _constant(scratch: dict, key: str, value: Any, like: np.ndarray) -> Any:
    """``value`` as a 0-d array of the parameter's dtype (``like`` is the parameter's array).

    Why: a ufunc converts a Python number argument on every call, which can cost more than the
    arithmetic on a small parameter; a 0-d array of the operands' dtype is used as is (its
    measured gain, and its status, in docs/PERFORMANCE.md). The result is the same: NumPy casts
    a Python number to the array operand's dtype anyway (NEP 50), and every operand has the
    parameter's dtype (`Optimizer.step` casts a gradient of another). Cached in ``scratch``
    under ``key`` until ``value`` changes (the scratch is renewed when the parameter's array
    is, so the dtype stays right).

        >>> lr = _constant({}, "lr", 0.1, np.ones(3, np.float32))
        >>> lr.dtype, float(lr) == float(np.float32(0.1))
        (dtype('float32'), True)
    """
    if type(value) not in (float, int):  # a NumPy scalar or array has its own dtype: as given
        # (a Tensor learning rate, as PyTorch allows: its value, in the parameter's dtype)
        return value._data.astype(like.dtype) if isinstance(value, Tensor) else value
    cached = scratch.get(key)
    if cached is None or cached[0] != value:
        cached = scratch[key] = (value, np.array(value, dtype=like.dtype))
    return cached[1]


def swap_in(state: dict, new_state: dict, scratch: dict) -> None:
    """Commit ``new_state`` into ``state``; a replaced array becomes the scratch buffer that
    the next step writes its new value into (unless it no longer fits the parameter, whose
    array was replaced since: then the next step allocates one)."""
    for key, value in new_state.items():
        if scratch.get(key) is value:
            old = state.get(key)
            if isinstance(old, np.ndarray) and old.shape == value.shape \
                    and old.dtype == value.dtype:
                scratch[key] = old
            else:
                del scratch[key]
        state[key] = value
