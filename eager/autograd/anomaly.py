"""Anomaly detection: find the forward op whose backward produced NaN or Inf.

While it is on, every tape entry records the user's source line (a stack walk, hence off by
default), and the backward walk checks each gradient it computes. The error names the backward
function, the forward op and that line:

    RuntimeError: Function 'LogBackward0' returned nan values in its 0th output.
    The forward op was `log` at model.py:12 in forward.
"""

from __future__ import annotations

from typing import Any

from . import recording

_enabled = False  # read through is_anomaly_enabled (tape entries, the backward walk)


def is_anomaly_enabled() -> bool:
    """True while anomaly detection is on."""
    return _enabled


def _set(mode: bool) -> None:
    global _enabled
    _enabled = mode
    recording.set_anomaly(mode)  # new entries record the user's line while it is on


class detect_anomaly:  # noqa: N801 (PyTorch's name)
    """Context manager (and decorator) turning anomaly detection on inside its block."""

    def __init__(self, check_nan: bool = True) -> None:
        self._mode = bool(check_nan)
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_enabled)
        _set(self._mode)

    def __exit__(self, *exc: Any) -> None:
        _set(self._previous.pop())

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:  # noqa: N801 (PyTorch's name)
    """``set_detect_anomaly(True)`` switches detection on at once; used as a context manager it
    restores the previous setting on exit, as in PyTorch."""

    def __init__(self, mode: bool) -> None:
        self._previous = _enabled
        _set(bool(mode))

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        _set(self._previous)


def check_gradient(node, position: int, grad) -> None:
    """Raise if ``grad`` (the gradient ``node`` computed for input ``position``) has NaN/Inf."""
    import numpy as np

    data = getattr(grad, "_data", grad)
    if data.dtype.kind != "f" or np.isfinite(data).all():
        return
    what = "nan" if np.isnan(data).any() else "inf"
    where = f" at {node.location}" if node.location is not None else ""
    raise RuntimeError(
        f"Function '{node.name()}' returned {what} values in its {position}th output. "
        f"The forward op was `{node.op.name}`{where}; its inputs had shapes "
        f"{[tuple(a.shape) for a in node.arrays or ()]}.")
