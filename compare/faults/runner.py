"""Run each catalogue fault in both modes and grade the error it produces.

For each mode the result says when the fault surfaced (``build``: while the static graph was
built; ``first run``: the first step; ``later``: a later step; ``never``: no exception), the
exception type, whether the message names the op, the shapes and the user's own line
(``user_code.py:N`` where N is a line marked for this fault), and the message itself. When
no exception is raised the message describes what happened instead (NaN loss, printed text).

On a static failure at run time the same step is replayed eagerly on the static run's weights
(`user_code.eager_replay`); the replay's exception and the user line it points at are
attached as ``replay``: the eager mode as the static mode's debugger.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math
import re
import traceback

from . import user_code
from .catalogue import CATALOGUE, Fault

_FILE = inspect.getsourcefile(user_code) or user_code.__file__
_LINE_RE = re.compile(r"user_code\.py:(\d+)")


def _marked_lines() -> dict[str, set[int]]:
    marks: dict[str, set[int]] = {}
    with open(_FILE) as f:
        for n, line in enumerate(f, 1):
            if "# fault:" in line:
                names = line.split("# fault:", 1)[1].split("(")[0]
                for name in names.split(","):
                    marks.setdefault(name.strip(), set()).add(n)
    return marks


MARKS = _marked_lines()


class _Progress:
    def __init__(self) -> None:
        self.step = -1
        self.losses: list[float] = []

    def at(self, k: int) -> None:
        self.step = k

    def record(self, loss: float) -> None:
        self.losses.append(loss)


def _user_frame(exc: BaseException) -> str | None:
    """``user_code.py:N`` of the innermost traceback frame in the user's file."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == _FILE:
            found = f"user_code.py:{frame.lineno}"
    return found


def grade(fault: Fault, exc: BaseException | None, surfaced: str, step: int | None,
          message: str | None = None) -> dict:
    """The catalogue row for one mode: what surfaced, and what the message names."""
    text = message if exc is None else _message(exc)
    lines = {int(n) for n in _LINE_RE.findall(text)} if exc is not None else set()
    op_attr = getattr(exc, "op", None)
    names_op = exc is not None and (op_attr in fault.ops or any(
        re.search(rf"\b{re.escape(op)}\b", text) for op in fault.ops))
    return {"surfaced": surfaced, "exception": None if exc is None else type(exc).__name__,
            "names_op": bool(names_op),
            "names_shapes": exc is not None and any(s in text for s in fault.shapes),
            "names_user_line": bool(lines & MARKS.get(fault.name, set())),
            "message": text, "step": step,
            "user_frame": None if exc is None else _user_frame(exc)}


def _message(exc: BaseException) -> str:
    notes = getattr(exc, "__notes__", None) or []
    return "\n".join([str(exc) or type(exc).__name__, *notes])


def _phase(step: int) -> str:
    return "first run" if step <= 0 else "later"


def _quiet_outcome(losses: list[float], printed: str) -> str:
    bad = next((i for i, v in enumerate(losses) if not math.isfinite(v)), None)
    parts = []
    if bad is not None:
        parts.append(f"no error raised; the loss became {losses[bad]} at step {bad + 1} "
                     f"({sum(not math.isfinite(v) for v in losses)} of {len(losses)} step "
                     "losses non-finite)")
    if printed:
        shown = printed.strip().splitlines()
        parts.append(f"no error raised; forward printed {len(shown)} line(s), first: "
                     f"{shown[0][:120]!r}")
    return "; ".join(parts) or "no error raised; training ran normally"


def run_eager(fault: Fault) -> dict:
    """The fault in eager mode."""
    progress, out = _Progress(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            user_code.eager_train(fault.scenario, progress)
    except Exception as e:
        return grade(fault, e, _phase(progress.step), progress.step + 1)
    return grade(fault, None, "never", None, _quiet_outcome(progress.losses, out.getvalue()))


def run_static(fault: Fault) -> dict:
    """The fault in static mode, with the eager replay of a failing run step."""
    s, out = fault.scenario, io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            built = user_code.static_build(s)
    except Exception as e:
        return dict(grade(fault, e, "build", None), replay=None)
    losses = []
    for k in range(s.steps):
        try:
            with contextlib.redirect_stdout(out):
                losses.append(user_code.static_step(s, built, k))
        except Exception as e:
            return dict(grade(fault, e, _phase(k), k + 1), replay=_replay(fault, built, k))
    return dict(grade(fault, None, "never", None, _quiet_outcome(losses, out.getvalue())),
                replay=None)


def _replay(fault: Fault, built: dict, k: int) -> dict:
    if fault.scenario.drop_feed:
        return {"ran": False, "exception": None, "user_frame": None,
                "message": "not replayed: the static step was missing an input, so there is "
                           "no complete set of inputs to replay eagerly"}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            user_code.eager_replay(fault.scenario, built["model"], k)
    except Exception as e:
        return {"ran": True, "exception": type(e).__name__, "message": _message(e),
                "user_frame": _user_frame(e)}
    return {"ran": True, "exception": None, "user_frame": None,
            "message": "the eager replay of the same inputs raised no error"}


def run_fault(fault: Fault) -> dict:
    """Both modes of one fault, as one catalogue entry."""
    return {"name": fault.name, "title": fault.title,
            "modes": {"eager": run_eager(fault), "static": run_static(fault)}}


def run_catalogue(names: list[str] | None = None) -> list[dict]:
    """Every fault (or the named ones), in catalogue order."""
    return [run_fault(CATALOGUE[n]) for n in (names or list(CATALOGUE))]
