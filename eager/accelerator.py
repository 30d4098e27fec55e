"""``eager.accelerator``: what ``torch.accelerator`` answers where no accelerator exists
(eager computes with NumPy on the CPU). The tutorials pick their device with
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"``;
queries say "none", and anything that needs a device raises PyTorch's RuntimeError.

    >>> is_available(), current_accelerator(), device_count()
    (False, None, 0)
"""

from __future__ import annotations

_NONE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: eager has no accelerator."""
    return False


def current_accelerator(check_available: bool = False) -> None:
    """The accelerator's device type: None here (with or without ``check_available``)."""
    return None


def device_count() -> int:
    """0: no accelerator devices."""
    return 0


def _no_accelerator(*args: object, **kwargs: object) -> None:
    raise RuntimeError(_NONE)


# Each needs a device, as in PyTorch without one.
current_device_index = current_device_idx = set_device_index = set_device_idx = _no_accelerator
synchronize = current_stream = set_stream = _no_accelerator

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "current_device_idx", "set_device_index", "set_device_idx", "synchronize",
           "current_stream", "set_stream"]
