"""The static compiler: compile -> optimize -> execute.

    step = static.compile(graph, [loss, train], feeds=[x, y])
    step.run({x: xb, y: yb})            # -> [loss value, None]; variables updated in place
    print(step.summary())               # nodes before/after and rewrites, per pass
    print(step.source)                  # the generated straight-line NumPy

``PIPELINE`` is the one ordered list of passes (``pipeline.py``), each in ``passes/``;
``render_passes(graph, dir)`` draws the graph after every pass; ``CompiledExecutor`` runs a
``Session`` through the compiler (``Session(graph, executor=CompiledExecutor)``).
"""

from .api import compile  # noqa: A004
from .compiled import Compiled
from .context import PassContext, PassReport
from .executor import CompiledExecutor
from .pipeline import PIPELINE
from .render_passes import render_passes

__all__ = ["PIPELINE", "Compiled", "CompiledExecutor", "PassContext", "PassReport", "compile",
           "render_passes"]
