"""Graph breaks: Python that needs a tensor's value while `static.compile` traces it.

``if x.sum() > 0:`` asks a graph value for a Python bool, which it does not have while the
graph is built: the trace cannot continue. `static.compile` then *breaks*: that call (and
later calls with the same signature) run the function eagerly, and the break is recorded
with its reason and the user's file:line; ``fullgraph=True`` raises `GraphBreakError`
instead. `find_break` tells a break from any other error raised while tracing: the traceback
passes through one of the conversions a graph value refuses (``__bool__``, ``__float__``,
``item``, ``np.asarray``...), and the frame that called it is the user's line; or a layer
raised `NotImplementedError` because it cannot be staged (batch norm updating its running
statistics in training mode).
"""

from __future__ import annotations

import os
import types
from dataclasses import dataclass
from typing import Any

from ..graph import Node
from ..symbolic_size import SymbolicSize

__all__ = ["GraphBreak", "GraphBreakError", "find_break"]

# The conversions a graph value refuses, by method name -> what the user's code asked for.
_REASONS = {
    "__bool__": "Python control flow on a tensor value (`if`/`while`/`and`/`or` need its "
                "truth value)",
    "__float__": "a Python float from a tensor value (float(x))",
    "__int__": "a Python int from a tensor value (int(x))",
    "__index__": "a Python index or size from a tensor value (range(x), list[x])",
    "item": "reading a tensor's value (.item())",
    "tolist": "reading a tensor's value (.tolist())",
    "numpy": "reading a tensor's value (.numpy())",
    "__array__": "reading a tensor's value (np.asarray(x))",
    "allclose": "a Python bool from tensor values (.allclose())",
    "equal": "a Python bool from tensor values (.equal())",
}


def _conversion_codes() -> dict[types.CodeType, str]:
    codes = {}
    for cls in (Node, SymbolicSize):
        for name in _REASONS:
            fn = getattr(cls, name, None)
            code = getattr(fn, "__code__", None)
            if code is not None:
                codes[code] = name
    return codes


_CODES = _conversion_codes()


@dataclass(frozen=True)
class GraphBreak:
    """Where and why a trace stopped: ``reason`` in words, ``filename:lineno`` the line that
    asked for the value, ``function`` its function's name."""

    reason: str
    filename: str
    lineno: int
    function: str

    @property
    def where(self) -> str:
        return f"{self.filename}:{self.lineno}"

    def describe(self) -> str:
        return f"{self.reason} at {self.where} in {self.function}"


class GraphBreakError(RuntimeError):
    """``static.compile(..., fullgraph=True)`` met a graph break (see `GraphBreak`)."""

    def __init__(self, name: str, graph_break: GraphBreak):
        self.graph_break = graph_break
        super().__init__(
            f"static.compile(fullgraph=True): {name} cannot be traced into one graph: "
            f"{graph_break.describe()}. Use static.cond / static.where for data-dependent "
            "choices, or compile without fullgraph=True to run such calls eagerly")


def find_break(error: BaseException, call_site: Any = None) -> GraphBreak | None:
    """The graph break that ``error`` (raised while tracing) stands for, or None when it is
    an ordinary error (a shape mismatch...) that tracing must not hide.

    A `NotImplementedError` (a layer that cannot be staged) is a break too, placed at the
    user's innermost line in the traceback, else at ``call_site`` (a `SourceLocation`:
    where the compiled model was called)."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    for k, (frame, _) in enumerate(frames):
        name = _CODES.get(frame.f_code)
        if name is None or k == 0:
            continue
        caller, lineno = frames[k - 1]
        return GraphBreak(_REASONS[name], caller.f_code.co_filename, lineno,
                          caller.f_code.co_name)
    if isinstance(error, NotImplementedError) and frames:
        # A layer that says it cannot be staged (batch norm updating its running statistics
        # in training mode...): a break at the user's innermost line that led there.
        users = [(f, n) for f, n in frames if not f.f_code.co_filename.startswith(_LIBRARY)]
        first = str(error).split("\n")[0].split(";")[0]
        reason = f"not supported in a static graph ({type(error).__name__}: {first})"
        if users:
            frame, lineno = users[-1]
            return GraphBreak(reason, frame.f_code.co_filename, lineno, frame.f_code.co_name)
        if call_site is not None:  # only library code in between: the line that called
            return GraphBreak(reason, call_site.filename, call_site.lineno, call_site.function)
        frame, lineno = frames[-1]
        return GraphBreak(reason, frame.f_code.co_filename, lineno, frame.f_code.co_name)
    return None


# The framework's own packages (shared_ops, eager, static side by side) and the standard
# library: frames there are not the user's line.
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY = (*(os.path.join(_ROOT, p) + os.sep for p in ("shared_ops", "eager", "static")),
            os.path.dirname(os.__file__))
