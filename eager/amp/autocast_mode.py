"""`autocast`, ``torch.autocast``: a context manager (and decorator) over a region to run in
lower precision. With ``device_type='cuda'`` on this CUDA-less build it warns and disables
itself, as PyTorch does without a GPU; disabled (``enabled=False``) it changes nothing; an
enabled CPU autocast raises, since eager has no mixed-precision dispatch."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any


def is_autocast_available(device_type: str) -> bool:
    """Whether autocast can run on ``device_type`` here: only disabled regions can."""
    return False


class autocast:  # noqa: N801 (PyTorch's name)
    """``with autocast(device_type, dtype=None, enabled=True, cache_enabled=None): ...``."""

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = device_type
        self.fast_dtype = dtype  # None: the device's default lower precision
        self._enabled = bool(enabled)
        if self._enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                          UserWarning, stacklevel=2)
            self._enabled = False
        if self._enabled:
            raise NotImplementedError(
                f"autocast(device_type={device_type!r}, dtype={dtype}): eager computes "
                "every op in its inputs' dtypes and has no mixed-precision dispatch; run the "
                "region without autocast (enabled=False) or cast the model and inputs yourself")

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return run


__all__ = ["autocast", "is_autocast_available"]
