"""Error types shared by every mode, and how they find the user's own line.

Every error an op raises names the op, the values it received (shapes, dtypes), what it
expected, and the first stack frame outside the framework: the line the user wrote.

    matmul: shapes (32, 10) and (5, 1) do not align (10 != 5) at model.py:14 in forward

Errors also subclass the matching builtin (``ShapeError`` is a ``ValueError``, ``DTypeError``
a ``TypeError``) so code that catches builtins keeps working.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import threading
from dataclasses import dataclass

from .thread_state import thread_setting

# Directories whose frames are "the framework", skipped when looking for the user's line.
# Modes and tools add their own with `register_framework_dir`.
_FRAMEWORK_DIRS: list[str] = [os.path.dirname(os.path.abspath(__file__))]
# Library code (the standard library, numpy, pytest...) is never "the user's line" either.
_LIBRARY_DIRS = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")})


def register_framework_dir(path: str) -> None:
    """Treat every file under ``path`` as framework code when locating the user's frame."""
    path = os.path.dirname(os.path.abspath(path)) if os.path.isfile(path) else os.path.abspath(path)
    if path not in _FRAMEWORK_DIRS:
        _FRAMEWORK_DIRS.append(path)


def _is_framework_file(filename: str) -> bool:
    if filename.startswith("<") and not filename.startswith("<stdin"):
        # <frozen ...>, <string> from generated code of our own, <__array_function__ ...>
        return not filename.startswith(("<ipython", "<doctest", "<string>"))
    return filename.startswith(tuple(_FRAMEWORK_DIRS)) or filename.startswith(_LIBRARY_DIRS)


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where the user's code called into the framework."""

    filename: str
    lineno: int
    function: str

    def short(self) -> str:
        """``model.py:14``: the path relative to the working directory when inside it."""
        try:
            rel = os.path.relpath(self.filename)
        except ValueError:  # different drive on Windows
            rel = self.filename
        name = self.filename if rel.startswith("..") else rel
        return f"{name}:{self.lineno}"

    def __str__(self) -> str:
        return f"{self.short()} in {self.function}"


_pinned = threading.local()


def user_location(skip: int = 1) -> SourceLocation | None:
    """The first frame on the stack whose file lies outside the framework (or the location
    pinned by `pinned_location`)."""
    pinned = getattr(_pinned, "location", None)
    if pinned is not None:
        return pinned
    frame = sys._getframe(skip)
    while frame is not None:
        code = frame.f_code
        if not _is_framework_file(code.co_filename):
            return SourceLocation(code.co_filename, frame.f_lineno, code.co_name)
        frame = frame.f_back
    return None


def pinned_location(location: SourceLocation | None):
    """Inside the ``with`` block (this thread), `user_location` answers ``location`` without
    walking the stack: a framework routine that builds many nodes on behalf of one user call
    (``static.gradients``: a stack walk per node was a quarter of its time) pins that
    call's line once."""
    return thread_setting(_pinned, "location", location)


def describe_shapes(*shapes) -> str:
    """``(32, 10) and (5, 1)``; unknown dims print as ``?``."""
    parts = ["(" + ", ".join("?" if d is None else str(d) for d in s) + ("," if len(s) == 1 else "")
             + ")" for s in shapes]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class DualgraphError(Exception):
    """Base of every error the framework raises on purpose."""


class OpError(DualgraphError):
    """An op rejected its inputs. Carries the op name, the offending values and the location.

    ``detail`` says what was wrong ("shapes (3,) and (4,) cannot broadcast"); the message adds
    the op name in front and the user's source location behind.
    """

    def __init__(self, op: str, detail: str, *, shapes=(), dtypes=(), location=None):
        self.op = op
        self.detail = detail
        self.shapes = tuple(tuple(s) for s in shapes)
        self.dtypes = tuple(str(d) for d in dtypes)
        self.location: SourceLocation | None = location
        self.notes_for_user: list[str] = []
        super().__init__()

    def with_location(self, location: SourceLocation | None) -> OpError:
        """Fill in the user's location if it is not known yet; returns self for ``raise``."""
        if self.location is None:
            self.location = location
        return self

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location is not None else ""
        return f"{self.op}: {self.detail}{where}"

    def __reduce__(self):  # exceptions must pickle for multiprocessing and pytest-xdist
        return (_rebuild, (type(self), self.op, self.detail, self.shapes, self.dtypes,
                           self.location))


def _rebuild(cls, op, detail, shapes, dtypes, location):
    return cls(op, detail, shapes=shapes, dtypes=dtypes, location=location)


class ShapeError(OpError, ValueError):
    """Shapes that cannot work together: broadcasting, matmul alignment, reshape sizes, axes."""


class DTypeError(OpError, TypeError):
    """A dtype the op does not accept (object, str, complex, int where float is needed...)."""


class OpIndexError(OpError, IndexError):
    """An index out of range: a class index, an axis, a gather position."""


class OpValueError(OpError, ValueError):
    """A bad attribute value (negative stride, p outside [0, 1], ...)."""


class OpRuntimeError(OpValueError, RuntimeError):
    """A value PyTorch refuses with a RuntimeError (an integer division by zero, an integer to
    a negative integer power): also an OpValueError, so either ``except`` catches it."""


class OpIndexRuntimeError(OpIndexError, RuntimeError):
    """An index out of range where PyTorch raises a RuntimeError (gather, scatter): also an
    OpIndexError, so either ``except`` catches it."""


class DTypeRuntimeError(DTypeError, RuntimeError):
    """A dtype PyTorch refuses with a RuntimeError (negation or subtraction of bools): also a
    DTypeError, so either ``except`` catches it."""


class GradientError(OpError, RuntimeError):
    """A gradient was asked for where none exists (non-differentiable input, integer output)."""


class LinAlgError(OpError, RuntimeError):
    """A matrix the decomposition cannot handle: singular for an inverse or a solve, not
    positive-definite for a Cholesky factor, an SVD that did not converge (as PyTorch's
    ``torch.linalg.LinAlgError``, a RuntimeError)."""
