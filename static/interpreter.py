"""The reference executor: runs a graph node by node, with every value inspectable.

This is the debugging path (torch.fx ``Interpreter`` style): each node's value is checked
against its aval (a dim of ``None`` matches anything), a failing node is reported with its
listing line and the user's source line, and a subclass can override `run_node` (or one of
the per-kind methods) to observe or change what each node does.

Variables are read at the start of a step and assignments are collected, then applied in place
only after every node of the step ran: all nodes read the old values, and a step that fails
leaves every variable unchanged.

``Interpreter(graph, check_numerics=True)`` checks every floating value as it is produced and
stops at the first node whose output holds NaN or Inf (a fed placeholder included), naming it:
the variables are left unchanged, as for any failing step. One ``run`` at a time per
interpreter (a lock), so a Session shared by threads stays correct.

    class Printing(Interpreter):
        def run_node(self, node, args):
            value = super().run_node(node, args)
            print(node.name, value.shape)
            return value
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import shared_ops
from shared_ops.errors import OpError, describe_shapes
from shared_ops.kernel_run import explain_failure

from .errors import NodeRuntimeError, NumericsError
from .graph import Graph, Node, format_location
from .lru import LRU, MAX_STEPS

# Static-only ops that compute something (control flow registers cond/while_loop/scan here):
# op name -> runner(node, input_values) -> value.
NODE_RUNNERS: dict[str, Callable[[Node, list], Any]] = {}


def register_node_runner(op: str, runner: Callable[[Node, list], Any]) -> None:
    """Make the interpreter run nodes of the static-only ``op`` with ``runner``."""
    NODE_RUNNERS[op] = runner


def ancestors(nodes: Iterable[Node], stop: Callable[[Node], bool] | None = None) -> set[Node]:
    """The ``nodes`` and every node they depend on, through inputs (within one graph); the
    walk goes no further up than a node for which ``stop(node)`` is true (that node is in)."""
    seen: set[Node] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if stop is None or not stop(node):
            stack.extend(i for i in node.inputs if i not in seen)
    return seen


def required_nodes(graph: Graph, fetches: Iterable[Node]) -> list[Node]:
    """The fetches and everything they depend on, in graph (topological) order."""
    seen = ancestors(fetches)
    return [n for n in graph.nodes if n in seen]


def _check_order(order: list[Node]) -> None:
    """Every input must come before its user: a graph edited by hand (``node.inputs = ...``)
    can break that, or close a cycle; say so instead of failing with a KeyError."""
    seen: set[Node] = set()
    for node in order:
        late = next((i for i in node.inputs if i not in seen), None)
        if late is not None:
            raise NodeRuntimeError(
                node.op, f"node %{node.name} uses %{late.name}, which does not come before it "
                "in the graph (the order was broken or a cycle was closed by editing "
                "node.inputs); run static.lint(graph) to see every problem",
                location=node.location)
        seen.add(node)


class Interpreter:
    """Runs the nodes a set of fetches needs, one at a time, in graph order."""

    def __init__(self, graph: Graph, check_numerics: bool = False):
        self.graph = graph
        self.check_numerics = check_numerics
        # `run` keeps per-step state on self (feeds, env): one step at a time per interpreter.
        self.lock = threading.RLock()
        self.feeds: dict[Node, np.ndarray] = {}
        # Every value computed by the last `run` (kept only when asked: keep_all=True).
        self.env: dict[Node, Any] = {}
        # Per (graph version, fetch list): bounded, as a graph edited between runs makes a
        # new key every time and each plan holds a list of the graph's nodes.
        self._plans: LRU = LRU(MAX_STEPS, "max_steps")

    # -- the step ---------------------------------------------------------------------------
    def run(self, fetches: list[Node], feeds: dict[Node, np.ndarray],
            keep_all: bool = False) -> list[Any]:
        """Values of ``fetches`` (checked feeds given); applies the step's assignments last."""
        # IEEE semantics (inf, nan, no warning) in every thread: NumPy's error state is per
        # thread, and shared_ops sets it only in the thread that imported it.
        with self.lock, np.errstate(all="ignore"):
            return self._run(fetches, feeds, keep_all)

    def _run(self, fetches: list[Node], feeds: dict[Node, np.ndarray],
             keep_all: bool) -> list[Any]:
        self.feeds = feeds
        order, last_use = self.plan(fetches)
        wanted = set(fetches)
        env: dict[Node, Any] = {}
        pending: list[tuple[Node, np.ndarray]] = []
        for k, node in enumerate(order):
            args = [env[i] for i in node.inputs]
            try:
                value = self.run_node(node, args)
                self.check_value(node, value)
                if self.check_numerics:
                    self.check_finite(node, value)
            except (NodeRuntimeError, NumericsError):
                raise
            except Exception as e:
                raise self.explain(node, args, e) from e
            if node.op == "assign":
                pending.append((node.inputs[0], value))
            env[node] = value
            if not keep_all:
                for i in node.inputs:
                    if last_use.get(i) == k and i not in wanted:
                        env.pop(i, None)  # an input may appear twice
        for var, value in pending:
            var.value[...] = value  # in place: everyone holding the array sees the update
        self.env = env if keep_all else {}
        # Fetched values belong to the caller: kernels may return views (broadcast_to), the
        # constant's own read-only storage or the fed array itself, so hand out copies.
        return [None if env[f] is None else np.array(env[f], copy=True) for f in fetches]

    def plan(self, fetches: list[Node]) -> tuple[list[Node], dict[Node, int]]:
        """The nodes to run, in order, and each value's last use (cached per fetch list)."""
        key = (self.graph.version, tuple(id(f) for f in fetches))
        cached = self._plans.get(key)
        if cached is None:
            order = required_nodes(self.graph, fetches)
            _check_order(order)
            # Values are dropped after their last use, as a real executor would free them;
            # with keep_all everything stays for inspection.
            last_use = {i: k for k, n in enumerate(order) for i in n.inputs}
            cached = (order, last_use)
            self._plans.add(key, cached)
        return cached

    # -- one node ---------------------------------------------------------------------------
    def run_node(self, node: Node, args: list[Any]) -> Any:
        """Compute one node's value from its inputs' values (override to observe/alter)."""
        if node.op == "placeholder":
            return self.placeholder(node)
        if node.op == "variable":
            return self.variable(node)
        if node.op == "constant":
            return node.value
        if node.op == "assign":
            return self.assign(node, args)
        if node.op == "group":
            return None
        runner = NODE_RUNNERS.get(node.op)
        if runner is not None:  # static-only ops with a runtime (control flow)
            return runner(node, args)
        return self.call_op(node, args)

    def placeholder(self, node: Node) -> np.ndarray:
        return self.feeds[node]

    def variable(self, node: Node) -> np.ndarray:
        # A snapshot: fetched values must not change when the step's assignments land.
        return node.value.copy()

    def assign(self, node: Node, args: list[Any]) -> np.ndarray:
        var, value = node.inputs[0], args[1]
        return np.array(np.broadcast_to(value, var.value.shape), dtype=var.dtype)

    def call_op(self, node: Node, args: list[Any]) -> np.ndarray:
        op = shared_ops.OPS[node.op]
        try:
            out = op.kernel(*args, **node.attrs)
        except OpError:
            raise
        except Exception as e:  # the shape rule on the actual shapes says it better than NumPy
            raise explain_failure(op, args, node.attrs, e) from e
        return out if type(out) is np.ndarray else np.asarray(out)

    # -- checks and errors ------------------------------------------------------------------
    def check_value(self, node: Node, value: Any) -> None:
        """A node's value must match its aval: a mismatch means a shape rule is wrong."""
        if node.op == "group" or isinstance(value, tuple):
            return  # a tuple (control flow): each element is checked by its tuple_get node
        arr = value if isinstance(value, np.ndarray) else np.asarray(value)
        shape, dtype = arr.shape, arr.dtype
        if shape == node.aval.shape and dtype == node.aval.dtype:
            return  # the common case, checked first: this runs for every node of every step
        ok = len(shape) == node.ndim and all(
            a is None or a == s for a, s in zip(node.shape, shape, strict=True))
        if not ok or dtype != node.dtype:
            raise NodeRuntimeError(
                node.op, f"produced {dtype}{describe_shapes(shape)} where the graph says "
                f"{node.aval} (the op's shape rule and kernel disagree)",
                shapes=(shape, node.shape), location=node.location)

    def check_finite(self, node: Node, value: Any) -> None:
        """Raise `NumericsError` if ``value`` (a floating array) holds NaN or Inf."""
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f" or \
                np.isfinite(value).all():
            return
        nan, inf = int(np.isnan(value).sum()), int(np.isinf(value).sum())
        found = ", ".join(f"{k} {w}" for k, w in ((nan, "NaN"), (inf, "Inf")) if k)
        if node.op == "placeholder":
            how = f"the value fed to placeholder %{node.name} holds {found}"
        elif node.op in ("variable", "constant"):
            how = f"{node.op} %{node.name} holds {found}"
        else:
            how = (f"node {node.listing()} produced {found} from finite inputs "
                   f"(the first node to do so)")
        raise NumericsError(node.op, f"{how} (of {value.size} values); check_numerics stops "
                            "here, variables are unchanged", shapes=(value.shape,),
                            location=node.location)

    def explain(self, node: Node, args: list[Any], error: Exception) -> NodeRuntimeError:
        """A `NodeRuntimeError` naming the node (its listing line) and the user's line."""
        shapes = [np.shape(a) for a in args if a is not None]
        if isinstance(error, OpError):
            cause = error.detail if error.op == node.op else f"{error.op}: {error.detail}"
        else:
            cause = (f"{type(error).__name__}: {error} (input shapes "
                     f"{describe_shapes(*shapes) if shapes else 'none'})")
        detail = f"{cause}\n    failed at run time in node {node.listing()}"
        if node.meta.get("composite"):
            detail += f" (inside {' -> '.join(node.meta['composite'])})"
        forward = node.meta.get("grad_of")
        if forward is not None and forward in self.graph:
            fwd = self.graph[forward]
            detail += (f"\n    which is part of the gradient of %{fwd.name} "
                       f"({format_location(fwd.location)})")
        detail += "\n    built"
        err = NodeRuntimeError(node.op, detail, shapes=shapes, location=node.location)
        err.node = node
        return err
