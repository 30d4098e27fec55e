"""static: define, then run. A TF1-style graph builder over the shared ops, symbolic
gradients, optimizers, and a Session that runs the graph.

    >>> import numpy as np, static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((None, 2), name="x")
    ...     w = static.variable(np.ones((2, 1), np.float32), name="w")
    ...     y = static.exp(x)
    >>> static.Session(g).run(y, {x: np.zeros((1, 2), np.float32)})
    array([[1., 1.]], dtype=float32)

Graphs come from the TF1-style builder (`placeholder`, `variable`, ops) or from tracing
eager-style code (`trace`, `function`); `save`/`load` store them, `render`/`to_networkx` draw
and analyse them. `compile(model)` runs an unchanged eager Module as compiled graphs inside an
eager training loop (torch.compile's role; `explain` says what it made of a call, `config`
switches retrace warnings and eager debugging). `cond`, `while_loop` and `scan` add control
flow whose bodies are subgraphs.

Every shared op is available as ``static.<op>`` (looked up when first used, so ops registered
later in shared_ops appear too); with no Node among its arguments it still builds a node.
"""

from shared_ops.compilers import register_compiler

from . import linalg, optim
from .autodiff import gradients
from .builder import apply, assign, constant, group, lookup_op, placeholder, staged, variable
from .compiler import CompiledExecutor, render_passes
from .compiling import CompiledModule, GraphBreakError, compile  # noqa: A004
from .config import RetraceWarning, config
from .errors import FeedError, FetchError, NodeRuntimeError, NumericsError, StaticError
from .explain import explain
from .graph import Graph, Node, get_default_graph, register_static_op, reset_default_graph
from .interpreter import Interpreter
from .lint import LintError, lint
from .networkx_export import to_networkx
from .render import RenderWarning, render, to_dot
from .rng import manual_seed, rng_state
from .serialize import SerializationError, load, save
from .session import Session, register_executor
from .shape_policy import Buckets, Dynamic
from .trace_cache import Function, function
from .trace_ledger import TraceLedger, TraceRecord
from .tracing import TensorSpec, Traced, trace

__all__ = [
    "FeedError", "FetchError", "Graph", "Interpreter", "LintError", "Node", "NodeRuntimeError",
    "NumericsError",
    "Session", "StaticError", "apply", "assign", "constant", "get_default_graph", "gradients",
    "group", "linalg", "lint", "lookup_op", "optim", "placeholder", "register_executor",
    "register_static_op", "reset_default_graph", "staged", "variable",
    # tracing, serialization and diagrams
    "Buckets", "Dynamic",
    "Function", "RenderWarning", "SerializationError", "TensorSpec", "TraceLedger", "TraceRecord",
    "Traced", "compile", "function", "load", "render", "render_passes", "save", "to_dot",
    "to_networkx", "trace",
    # random state (dropout masks)
    "manual_seed", "rng_state",
    # compile(model) and its switches (issue 17)
    "CompiledModule", "GraphBreakError", "RetraceWarning", "config", "explain",
]

register_executor("compiled", CompiledExecutor)
register_compiler("dualgraph", compile)  # eager.compile(model, backend="dualgraph")

from .jit_backend import JitBackend  # noqa: E402

register_compiler("dualgraph.jit", JitBackend())  # eager.jit.trace / eager.jit.load


def __getattr__(name: str):
    # static.matmul, static.softmax...: the shared op, staged into the default graph.
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup_op(name)

from .control_flow import cond, scan, while_loop  # noqa: E402

__all__ += ["cond", "scan", "while_loop"]
from .onnx import export_onnx  # noqa: E402  (imports onnx only when called)

__all__ += ["export_onnx"]
from .summary import module_scopes, summary, summary_trace  # noqa: E402  (issue 19)

__all__ += ["module_scopes", "summary", "summary_trace"]
