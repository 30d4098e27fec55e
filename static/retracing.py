"""The retrace warning: one Python warning per function that retraces too often.

`static.function` and `static.compile` keep a trace per input signature. A function whose
calls keep changing a shape or a Python value retraces every time, and each retrace costs a
trace and a compile. Past ``static.config.retrace_warning_threshold`` retraces the function
warns once (a `RetraceWarning`, attributed to the user's line that made the call), naming
the latest reason, as TensorFlow's "triggered tf.function retracing" warning does.
"""

from __future__ import annotations

import warnings

from shared_ops.errors import user_location

from .config import RetraceWarning, config

__all__ = ["RetraceWatch"]


class RetraceWatch:
    """Counts one function's retraces and warns once when they pass the threshold."""

    __slots__ = ("name", "warned", "hint")

    def __init__(self, name: str, hint: str) -> None:
        self.name = name
        self.warned = False
        self.hint = hint  # what to do instead, for this kind of function

    def traced(self, traces: int, reason: str) -> None:
        """Called after each trace: ``traces`` made so far, ``reason`` the latest one's."""
        retraces = traces - 1
        threshold = config.retrace_warning_threshold
        if self.warned or retraces <= threshold:
            return
        self.warned = True
        where = user_location()
        at = f" (called at {where.short()})" if where is not None else ""
        message = (f"{self.name} retraced {retraces} times, more than "
                   f"static.config.retrace_warning_threshold={threshold}; the latest retrace "
                   f"because {reason}{at}. Retracing is expensive: {self.hint}")
        if where is None:
            warnings.warn(message, RetraceWarning, stacklevel=3)
        else:
            warnings.warn_explicit(message, RetraceWarning, where.filename, where.lineno)
