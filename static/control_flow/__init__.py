"""Control flow in static graphs: `cond`, `while_loop` and `scan` as nodes with subgraph bodies.

The functions are defined once in `shared_ops.control_flow`; this package is the static mode's
side of them. It registers

* the handler that `shared_ops.cond` & co call when their values are Nodes (`build`),
* the runtime of the new nodes for the interpreter (`run.run_control_node`),
* their gradient rules for `static.gradients` (`grad`),

and exports ``static.cond``/``static.while_loop``/``static.scan``, which always build nodes
(plain arrays become constants, as with every ``static.<op>``).

The compiler writes these nodes as generated code (`static.compiler.emit_control_flow`), after
running its passes on the bodies too (`optimize`); `static.save` stores bodies as nested node
lists (`saving`). `run_control_node` runs a node for any other executor, and `output_avals`
gives its shapes for concrete feeds.

Limits, on purpose for now: carries, xs and ys are arrays or tuples of arrays (no dicts);
a body may not assign variables or create placeholders; the interpreter's ``check_numerics``
sees a body's values only when they leave it.

    >>> import numpy as np, static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((3,), name="x")
    ...     y = static.cond(x.sum() > 0, lambda v: v * 2, lambda v: -v, x)
    >>> static.Session(g).run(y, {x: np.array([1, 2, -1], np.float32)})
    array([ 2.,  4., -2.], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from shared_ops.control_flow import register_control_flow
from shared_ops.errors import OpValueError, user_location

from ..autodiff import register_static_vjp
from ..interpreter import register_node_runner
from ..lint import register_static_lint
from . import build, checks, grad
from .body import Body, BodyGraph, inline, run_body, trace_body
from .run import run_control_node
from .shapes import output_avals

__all__ = ["Body", "BodyGraph", "CONTROL_OPS", "cond", "inline", "output_avals", "run_body",
           "run_control_node", "scan", "trace_body", "while_loop"]

CONTROL_OPS = (*build.CONTROL_OPS, "tuple_get")

register_control_flow("static", SimpleNamespace(cond=build.cond, while_loop=build.while_loop,
                                                scan=build.scan))
for _op in CONTROL_OPS:
    register_node_runner(_op, run_control_node)
for _op in build.CONTROL_OPS:
    register_static_lint(_op, checks.lint_control)
register_static_lint("tuple_get", checks.lint_tuple_get)
register_static_vjp("cond", grad.cond_vjp)
register_static_vjp("scan", grad.scan_vjp)
register_static_vjp("while_loop", grad.while_vjp)


def cond(pred, true_fn: Callable, false_fn: Callable, *operands):
    """`shared_ops.cond`, always staged into a graph: ``true_fn(*operands)`` if ``pred`` else
    ``false_fn(*operands)``, both branches traced and shape-checked now."""
    return build.cond(pred, true_fn, false_fn, operands)


def while_loop(cond_fn: Callable, body_fn: Callable, loop_vars,
               maximum_iterations: int | None = None) -> tuple:
    """`shared_ops.while_loop`, always staged into a graph (loop_vars a tuple, result a
    tuple). Differentiable only with ``maximum_iterations``."""
    if maximum_iterations is not None and int(maximum_iterations) < 0:
        raise OpValueError("while_loop", f"maximum_iterations must be >= 0, got "
                           f"{maximum_iterations}").with_location(user_location())
    loop_vars = tuple(loop_vars) if isinstance(loop_vars, tuple | list) else (loop_vars,)
    return build.while_loop(cond_fn, body_fn, loop_vars, maximum_iterations)


def scan(fn: Callable, init, xs, length: int | None = None, reverse: bool = False):
    """`shared_ops.scan`, always staged into a graph: ``fn(carry, x) -> (carry, y)`` over the
    leading axis of ``xs``; returns ``(final_carry, stacked_ys)``."""
    return build.scan(fn, init, xs, length, reverse)
