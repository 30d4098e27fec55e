"""Scratch buffers and cached constants: how an optimizer step allocates nothing after the
first and hands NumPy no Python numbers (see `eager.optim.optimizer` for the protocol)."""

from __future__ import annotations

from sys import getrefcount
from types import MappingProxyType
from typing import Any

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.complex_support import real_pairs

from ..tensor import Tensor
from ..tensor_base import wrap_array

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


def step_dtype() -> np.dtype:
    """PyTorch's ``_get_scalar_dtype()``, the dtype of a ``step`` Tensor: float64 when that is
    the default dtype, else float32."""
    return dt.float64 if dt.float64 == dt.DEFAULT_FLOAT else dt.float32


def held(state: Any, key: str) -> Any:
    """The array of a parameter's state entry ``key`` (a Tensor, as PyTorch keeps it), as
    `_compute` reads it; None when there is none yet."""
    value = state.get(key)
    if not isinstance(value, Tensor):
        return value
    data = value._data
    # a complex parameter's state made complex (Adagrad's sum) is read as its real pairs
    return real_pairs(data) if data.dtype.kind == "c" else data


def step_count(state: Any) -> float:
    """The parameter's ``step`` as a float (PyTorch reads its step Tensor with ``.item()``
    too); 0 before the first step."""
    value = state.get("step")
    if value is None:
        return 0.0
    return float(value._data if isinstance(value, Tensor) else value)


def _refs_when_unshared() -> int:
    """What ``sys.getrefcount`` says of a Tensor's array that nothing else holds, seen as
    `commit_state` sees it (through a local name): measured, not assumed, per interpreter."""
    holder = wrap_array(np.zeros(1))
    arr = holder._data
    return getrefcount(arr)


UNSHARED_REFS = _refs_when_unshared()


def commit_state(state: dict, new_state: dict, scratch: dict) -> None:
    """Write ``new_state`` into the parameter's state Tensors in place, as PyTorch's updates do
    (a Tensor a user holds, a state dict handed out, see the new values). An entry that is
    missing, or no longer fits, becomes a new Tensor: a scratch array is taken over (the next
    step allocates another), a float ``step`` becomes PyTorch's 0-d Tensor.

    Each write counts on its Tensor's version counter; the caller then bumps the parameter's
    version (`Optimizer.step`), which moves the process-wide write epoch for these writes too
    (eager/autograd/versions.py): one epoch move per parameter, not one per state entry.

    Why the swap: when nothing but the state Tensor holds its array (no view of it, no
    ``.numpy()`` of it alive), the new array is swapped in and the old one becomes the next
    step's scratch, instead of a copy - the same values seen through the Tensor, one pass over
    memory less per buffer (measured in docs/PERFORMANCE.md, "Optimizer state Tensors").
    """
    for key, value in new_state.items():
        old = state.get(key)
        if type(value) is float:  # the step count (the cheap way to set a 0-d array)
            if isinstance(old, Tensor) and not old._data.shape:
                old._data.fill(value)
                old._version_counter[0] += 1
                continue
        elif isinstance(old, Tensor):
            arr = old._data
            if arr.shape == value.shape and arr.dtype == value.dtype:
                if scratch.get(key) is value and getrefcount(arr) <= UNSHARED_REFS:
                    old._data = value
                    scratch[key] = arr
                else:
                    np.copyto(arr, value)
                old._version_counter[0] += 1
                continue
        if isinstance(value, np.ndarray):
            if scratch.get(key) is value:
                del scratch[key]
        else:
            value = np.array(value, dtype=step_dtype())
        state[key] = wrap_array(value)
