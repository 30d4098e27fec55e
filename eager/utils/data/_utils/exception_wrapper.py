"""Carry an exception from a worker process to the main one (PyTorch's ``ExceptionWrapper``).

Only the type and the formatted traceback travel; the main process raises a new exception of
that type whose message is ``Caught <Type> in DataLoader worker process <i>.`` followed by
``Original Traceback (most recent call last): ...`` with the worker's traceback text.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from typing import Any


class KeyErrorMessage(str):
    """A str whose repr is itself: a KeyError prints repr(arg), which would mangle the
    multi-line traceback text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """The exception being handled (``sys.exc_info()``) as picklable data; `reraise` raises it.

    An exception type that cannot be pickled by reference (a class defined inside a function)
    travels as ``RuntimeError`` with the same message, so the main process still gets the
    worker's traceback instead of waiting for a batch that never comes.
    """

    def __init__(self, exc_info: Any = None, where: str = "in background") -> None:
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where
        self.exc_type_name = self.exc_type.__name__
        try:
            pickle.dumps(self.exc_type)
        except Exception:  # noqa: BLE001 (any pickling failure: fall back, see the docstring)
            self.exc_type = RuntimeError

    def reraise(self) -> None:
        """Raise the wrapped exception here, with the original traceback in its message."""
        msg = f"Caught {self.exc_type_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            # Some exception types take their text only as a ``message=`` keyword.
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:  # noqa: BLE001 (a constructor wanting other arguments)
            raise RuntimeError(msg) from None
        try:
            raise exception
        finally:
            # Drop the frame's reference: exception -> traceback -> this frame -> exception
            # would be a cycle keeping the DataLoader iterator (and its workers) alive until
            # the next garbage collection.
            del exception
