"""``eager.cuda``: what ``torch.cuda`` answers on a machine without CUDA (eager runs on NumPy,
on the CPU). Queries say "none"; seeding is accepted and ignored, as PyTorch does before CUDA
is initialised; anything that needs a GPU raises PyTorch's own ``AssertionError``.

    >>> is_available(), device_count()
    (False, 0)
"""

from __future__ import annotations

import importlib

from shared_ops.device import NO_CUDA


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Accepted and ignored: there is no CUDA generator to seed (PyTorch does the same)."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as ``manual_seed``."""


def _no_cuda(*args: object, **kwargs: object) -> None:
    raise AssertionError(NO_CUDA)


synchronize = current_device = get_device_name = get_device_properties = _no_cuda


def memory_allocated(device: object = None) -> int:
    """Bytes of tensors on the GPU: none (PyTorch's CPU build answers 0 too)."""
    return 0


memory_reserved = max_memory_allocated = max_memory_reserved = memory_allocated


def mem_get_info(device: object = None) -> tuple[int, int]:
    """Free and total GPU memory: there is no GPU (PyTorch's AssertionError)."""
    raise AssertionError(NO_CUDA)


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """No CUDA device, so no bfloat16 on one."""
    return False


def __getattr__(name: str) -> object:
    # ``torch.cuda.amp`` is a submodule programs reach as an attribute: import it when used.
    if name == "amp":
        return importlib.import_module(f"{__name__}.amp")
    raise AttributeError(f"module 'eager.cuda' has no attribute {name!r}")


def empty_cache() -> None:
    """Nothing cached, nothing to free (PyTorch returns quietly too)."""
