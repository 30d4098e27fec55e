"""Whether autocast is on, and its lower-precision dtype, per device type:
``torch.is_autocast_enabled(device_type=None)`` (no device: CUDA's), ``get_autocast_dtype``
(bfloat16 on the CPU, float16 on CUDA, as PyTorch's defaults) and ``set_autocast_dtype``.

The regions open in this thread are a stack here (`push_region`, `pop_region`): a CPU
bfloat16 region enables autocast for 'cpu' until it ends or an ``enabled=False`` region
nested in it starts (`active_dtype`); CUDA regions disable themselves on this build.

    >>> import eager
    >>> is_autocast_enabled(), is_autocast_enabled("cpu"), get_autocast_dtype("cpu")
    (False, False, torch.bfloat16)
"""

from __future__ import annotations

import threading
from typing import Any

from shared_ops.device import device as _device_of

from ..types import dtypes

# PyTorch's default lower precision per device type (those not listed: float16).
_BFLOAT16_DEVICES = ("cpu", "hpu", "xla", "maia")
_dtypes: dict[str, Any] = {}
_local = threading.local()  # .regions: this thread's open regions, (device type, dtype | None)


def _regions() -> list:
    try:
        return _local.regions
    except AttributeError:
        _local.regions = []
        return _local.regions


def push_region(kind: str, dtype: Any) -> None:
    """Open a region of device type ``kind`` computing in ``dtype`` (None: autocast off)."""
    _regions().append((kind, dtype))


def pop_region() -> None:
    """Close this thread's innermost region."""
    _regions().pop()


def active_dtype(kind: str) -> Any:
    """The dtype the innermost open region of ``kind`` autocasts to (None: not autocasting)."""
    for region_kind, dtype in reversed(_regions()):
        if region_kind == kind:
            return dtype
    return None


def _device_type(device_type: Any, op: str) -> str:
    if not isinstance(device_type, str):
        raise TypeError(f"{op}(): argument 'device_type' (position 1) must be str, not "
                        f"{type(device_type).__name__}")
    return _device_of(device_type).type  # torch's error for an unknown device type


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether autocast is on for ``device_type`` (None: CUDA, never on here) in this thread."""
    if device_type is None:
        return False
    return active_dtype(_device_type(device_type, "is_autocast_enabled")) is not None


def get_autocast_dtype(device_type: str) -> Any:
    """The dtype an autocast region of ``device_type`` computes in (`set_autocast_dtype`)."""
    kind = _device_type(device_type, "get_autocast_dtype")
    if kind == "meta":
        raise RuntimeError("unsupported scalarType")
    default = dtypes.bfloat16 if kind in _BFLOAT16_DEVICES else dtypes.float16
    return _dtypes.get(kind, default)


def set_autocast_dtype(device_type: str, dtype: Any) -> None:
    """Make ``dtype`` the autocast dtype of ``device_type``."""
    kind = _device_type(device_type, "set_autocast_dtype")
    if not isinstance(dtype, dtypes.dtype):
        raise TypeError(f"set_autocast_dtype(): argument 'dtype' (position 2) must be "
                        f"torch.dtype, not {type(dtype).__name__}")
    _dtypes[kind] = dtype


__all__ = ["active_dtype", "get_autocast_dtype", "is_autocast_enabled", "pop_region",
           "push_region", "set_autocast_dtype"]
