"""`static.config`: switches that change how `static.function` and `static.compile` behave.

    >>> import static
    >>> static.config.retrace_warning_threshold
    5
    >>> static.config.run_functions_eagerly(True)      # debug: run the Python, trace nothing
    >>> static.config.functions_run_eagerly()
    True
    >>> static.config.run_functions_eagerly(False)

* ``retrace_warning_threshold``: a function that retraces more than this many times (traces
  after its first) gets one `RetraceWarning`, as TensorFlow warns about "triggered
  tf.function retracing"; it names the argument that changed and the user's line.
* `run_functions_eagerly`: every `static.function` and `static.compile` runs its Python as
  written, on the values it is given, with no tracing (TensorFlow's
  ``tf.config.run_functions_eagerly``): breakpoints and prints inside then work.
"""

from __future__ import annotations

import threading

__all__ = ["RetraceWarning", "config"]


class RetraceWarning(UserWarning):
    """A `static.function` (or `static.compile`) retraced more often than
    ``static.config.retrace_warning_threshold`` allows: each retrace costs a trace and a
    compile, so varying shapes or Python values in the calls are worth a look."""


class Config:
    """Process-wide settings of the static tracer (one instance: ``static.config``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._eager = False
        self._threshold = 5

    @property
    def retrace_warning_threshold(self) -> int:
        """Retraces (traces after the first) a function may make before it warns once."""
        return self._threshold

    @retrace_warning_threshold.setter
    def retrace_warning_threshold(self, n: int) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"static.config.retrace_warning_threshold must be an int >= 0, "
                             f"got {n!r}")
        with self._lock:
            self._threshold = n

    def run_functions_eagerly(self, run_eagerly: bool) -> None:
        """Run every `static.function` and `static.compile` eagerly (True) or traced (False)."""
        if not isinstance(run_eagerly, bool):
            raise TypeError(f"static.config.run_functions_eagerly expects a bool, got "
                            f"{type(run_eagerly).__name__}")
        with self._lock:
            self._eager = run_eagerly

    def functions_run_eagerly(self) -> bool:
        """Whether `run_functions_eagerly` is on."""
        return self._eager

    def __repr__(self) -> str:
        return (f"static.config(run_functions_eagerly={self._eager}, "
                f"retrace_warning_threshold={self._threshold})")


config = Config()
