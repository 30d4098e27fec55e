"""Which line of the user's code an exception came from, for the report's error cells.

The user's code is every frame outside the framework's own packages (eager, static,
shared_ops, compare; the zoo's model files count as user code) and outside Python and its
installed packages. The innermost such frame is the line to show: for a shape bug in a
model's forward, ``mymodels.py:42 in forward``, not the kernel that noticed it.
"""

from __future__ import annotations

import sysconfig
import traceback
from pathlib import Path

import eager
import shared_ops
import static

_FRAMEWORK = [Path(m.__file__).resolve().parent for m in (eager, static, shared_ops)] + [
    Path(__file__).resolve().parent]
_USER_INSIDE = [Path(__file__).resolve().parent / "zoo"]  # zoo models are user-style code
_PYTHON = [Path(p).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib")
           if (p := sysconfig.get_paths().get(key))]


def _is_user(filename: str) -> bool:
    if filename.startswith("<"):  # generated code, <string>, <frozen ...>
        return False
    path = Path(filename).resolve()
    if any(path.is_relative_to(p) for p in _USER_INSIDE):
        return True
    return not any(path.is_relative_to(p) for p in _FRAMEWORK + _PYTHON)


def user_line(error: BaseException) -> str | None:
    """``"file.py:LINE in function"`` of the innermost user frame of ``error``'s traceback
    (following its ``__cause__``/``__context__`` chain), or None when there is none."""
    seen: set[int] = set()
    exc: BaseException | None = error
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if _is_user(frame.filename):
                return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        exc = exc.__cause__ or exc.__context__
    return None
