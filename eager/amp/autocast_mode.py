"""`autocast`, ``torch.autocast``: a context manager (and decorator) over a region to run in
lower precision. With ``device_type='cuda'`` on this CUDA-less build it warns and disables
itself, as PyTorch does without a GPU; disabled (``enabled=False``) it changes nothing.
``autocast("cpu")`` (bfloat16, CPU autocast's default) is emulated: the matrix products and
convolutions compute on values rounded to bfloat16 and round their results to it, held in
float32 tensors since NumPy has no bfloat16 (``eager/amp/autocast_dispatch.py`` says what
that changes: ``.dtype`` reads float32, and losses agree with torch's within bfloat16's
precision). A CPU region in float16 is refused: eager has no float32 list to run the losses
in float32 as torch does."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

from ..types import dtypes
from .autocast_dispatch import enter_region, exit_region
from .autocast_state import get_autocast_dtype, pop_region, push_region


def is_autocast_available(device_type: str) -> bool:
    """Whether ``device_type`` has an autocast (as torch answers: the device types it knows,
    a CUDA region then disabling itself on this build)."""
    return device_type in ("cpu", "cuda", "mps", "xpu", "hpu", "xla", "mtia", "maia")


class autocast:  # noqa: N801 (PyTorch's name)
    """``with autocast(device_type, dtype=None, enabled=True, cache_enabled=None): ...``."""

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = device_type
        # None: the device's autocast dtype (get_autocast_dtype; bfloat16 for the CPU)
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self._enabled = bool(enabled)
        if self._enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                          UserWarning, stacklevel=2)
            self._enabled = False
        if self._enabled and device_type == "cpu" and self.fast_dtype not in (dtypes.bfloat16,
                                                                              dtypes.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of torch.bfloat16, "
                          "torch.float16 currently.", UserWarning, stacklevel=2)
            self._enabled = False
        if self._enabled and (device_type != "cpu" or self.fast_dtype != dtypes.bfloat16):
            raise NotImplementedError(
                f"autocast(device_type={device_type!r}, dtype={self.fast_dtype}): eager has no "
                "mixed-precision dispatch for it (CPU bfloat16 is the one autocast emulated); "
                "run the region without autocast (enabled=False) or cast the model and inputs "
                "yourself")

    def __enter__(self) -> autocast:
        # an enabled=False region is pushed too: it turns autocast off inside an enabled one
        push_region(self.device, self.fast_dtype if self._enabled else None)
        if self._enabled:
            enter_region()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._enabled:
            exit_region()
        pop_region()
        return None

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return run


__all__ = ["autocast", "is_autocast_available"]
