"""Whether autocast is on, and its lower-precision dtype, per device type:
``torch.is_autocast_enabled(device_type=None)`` (no device: CUDA's), ``get_autocast_dtype``
(bfloat16 on the CPU, float16 on CUDA, as PyTorch's defaults) and ``set_autocast_dtype``.

Eager has no mixed-precision dispatch: `autocast` refuses an enabled CPU region and disables
itself for CUDA, so no region is ever autocast here and `is_autocast_enabled` is False.

    >>> import eager
    >>> is_autocast_enabled(), is_autocast_enabled("cpu"), get_autocast_dtype("cpu")
    (False, False, torch.bfloat16)
"""

from __future__ import annotations

from typing import Any

from shared_ops.device import device as _device_of

from ..types import dtypes

# PyTorch's default lower precision per device type (those not listed: float16).
_BFLOAT16_DEVICES = ("cpu", "hpu", "xla", "maia")
_dtypes: dict[str, Any] = {}


def _device_type(device_type: Any, op: str) -> str:
    if not isinstance(device_type, str):
        raise TypeError(f"{op}(): argument 'device_type' (position 1) must be str, not "
                        f"{type(device_type).__name__}")
    return _device_of(device_type).type  # torch's error for an unknown device type


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether autocast is on for ``device_type`` (None: CUDA). Never, here."""
    if device_type is not None:
        _device_type(device_type, "is_autocast_enabled")
    return False


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


__all__ = ["get_autocast_dtype", "is_autocast_enabled", "set_autocast_dtype"]
