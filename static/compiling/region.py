"""Tracing one compiled region: a Module's (or function's) forward, and its backward graph.

`trace_region` runs the target on placeholders and builds, in one graph:

* a placeholder per tensor argument (dims of the signature, ``None`` where dynamic), per
  parameter of the Module (fed the parameter's live array at every call: the Module's
  Parameters *are* the graph's parameters, so an optimizer's in-place update is seen with no
  retrace) and per random draw (a dropout's seed: fed a seed drawn from eager's seed source
  at every call, so a seeded run is reproducible; under a seed source shared with eager,
  as the compare harness sets, the masks are the ones eager draws);
* the outputs, and the effects (in-place updates of buffers) that run with them;
* the symbolic backward: a cotangent placeholder per floating output and `static.gradients`
  for every input that wants a gradient.

`split_backward` then cuts the backward out into a graph of its own whose inputs are the
forward values it reads (the *residuals*, fetched by the forward run and kept for the
backward, as a saved-tensor list is), so the backward never recomputes the forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import shared_ops
from shared_ops import dispatch

from ..autodiff import gradients
from ..builder import placeholder
from ..graph import Graph, Node
from ..interpreter import ancestors
from ..pytree import flatten, unflatten
from ..random_inputs import feeding
from ..tracing import call_traced, captured, is_array_like, output_nodes, side_effects

__all__ = ["Backward", "RegionGraph", "assemble", "split_backward", "trace_region"]


@dataclass
class Backward:
    """The backward graph cut out of a region: its placeholders stand for forward values
    (``cut``: the forward node each one replaces), the cotangents of the outputs
    (``seeds``, one per output, None for outputs without a gradient) and it computes
    ``grads`` (one per entry of the region's ``grad_wrt``)."""

    graph: Graph
    cut: list[tuple[Node, Node]]  # (forward node, backward placeholder)
    seeds: list[Node | None]
    grads: list[Node]


@dataclass
class RegionGraph:
    """One traced signature of a compiled target (see the module docstring).

    Region inputs are numbered: tensor arguments first, then parameters, then seeds, then
    random fills (``draws``: per fill, its method name and parameters, fed a fresh draw at
    every call: `static.random_inputs`); ``grad_wrt`` lists the inputs that get a gradient."""

    graph: Graph
    inputs: list[Node]
    n_args: int
    n_params: int
    outputs: tuple[Node, ...]
    out_template: Any
    effects: tuple[Node, ...]
    grad_wrt: list[int] = field(default_factory=list)
    # Per leaf of the result: ("tensor", None), ("size", None) or ("python", the value).
    out_kinds: list[tuple[str, Any]] = field(default_factory=list)
    residuals: list[Node] = field(default_factory=list)  # forward values the backward reads
    backward: Backward | None = None
    draws: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def n_seeds(self) -> int:
        return len(self.inputs) - self.n_args - self.n_params - len(self.draws)


def trace_region(fn: Callable, args: tuple, kwargs: dict, arg_shapes: list[tuple],
                 params: list[tuple[str, Any]], buffers: list[tuple[str, Any]],
                 wants_grad: list[bool]) -> RegionGraph:
    """Trace ``fn(*args, **kwargs)`` with its tensor leaves as placeholders of
    ``arg_shapes`` (see the module docstring); ``wants_grad``: per tensor argument, then per
    parameter, whether it gets a gradient. Raises what the function raises."""
    graph = Graph()
    seeds: list[Node] = []
    draws: list[tuple[Node, str, dict]] = []

    def seed_source(x: Node) -> Node:
        # A dropout's seed: an input, drawn by the caller from eager's generator each call.
        root = x.graph
        while getattr(root, "parent", None) is not None:
            root = root.parent
        with root.as_default():
            seed = placeholder((), np.int64, name=f"seed_{len(seeds)}")
        seeds.append(seed)
        return seed if root is x.graph else x.graph.lift(seed)

    def draw_source(x: Node, name: str, params: dict) -> Node | None:
        # A random fill (x.normal_()): an input the caller draws afresh at every call. Only
        # in the region's own graph (not a control-flow body) and of a shape known now.
        if x.graph is not graph or None in x.aval.shape:
            return None
        with graph.as_default():
            drawn = placeholder(x.aval.shape, x.dtype, name=f"draw_{len(draws)}")
        # The fill makes the object ``x`` stand for the placeholder (`Graph.exchange`).
        draws.append((x, name, params))
        return drawn

    with graph.as_default():
        leaves: list[Any] = []
        template = flatten((args, kwargs), leaves)
        arg_nodes = []
        shapes = iter(arg_shapes)
        symbolic = []
        for leaf in leaves:
            if is_array_like(leaf):
                node = placeholder(next(shapes), np.asarray(leaf).dtype,
                                   name=f"arg{len(arg_nodes)}")
                arg_nodes.append(node)
                symbolic.append(node)
            else:
                symbolic.append(leaf)
        param_nodes = [placeholder(np.shape(p), np.asarray(p).dtype, name=name)
                       for name, p in params]
        sym_args, sym_kwargs = unflatten(template, iter(symbolic))
        objs = [p for _, p in params]
        graph.captures.update({id(p): n for p, n in zip(objs, param_nodes, strict=True)})
        with dispatch.capture(objs, "static"), captured(graph, buffers), \
                shared_ops.using_seed_source("static", seed_source), feeding(draw_source):
            out = call_traced(fn, tuple(sym_args), sym_kwargs)
        out_leaves: list[Any] = []
        out_template = flatten(out, out_leaves)
        # Python values among the results (a float, a flag) come back as they are, sizes
        # (x.size(0)) as ints; only graph values and arrays are outputs of the graph.
        kinds = [_output_kind(graph, leaf) for leaf in out_leaves]
        outputs = output_nodes(graph, [v for v, k in zip(out_leaves, kinds, strict=True)
                                       if k != "python"])
    for p in objs:
        graph.captures.pop(id(p), None)
    region = RegionGraph(graph, [*arg_nodes, *param_nodes, *seeds, *(d for d, _, _ in draws)],
                         len(arg_nodes), len(param_nodes), outputs, out_template,
                         side_effects(graph, outputs),
                         draws=[(name, params) for _, name, params in draws])
    region.out_kinds = [(k, v if k == "python" else None)
                        for k, v in zip(kinds, out_leaves, strict=True)]
    region.grad_wrt = [i for i, w in enumerate(wants_grad) if w
                       and region.inputs[i].dtype.kind == "f"]
    if region.grad_wrt and any(o.dtype.kind == "f" for o in outputs):
        _add_backward(region)
    return region


def _output_kind(graph: Graph, leaf: Any) -> str:
    if isinstance(leaf, Node) or id(leaf) in graph.captures or is_array_like(leaf):
        return "tensor"
    return "size" if hasattr(leaf, "size_expression") else "python"


def assemble(region: RegionGraph, values: list) -> Any:
    """The result in the structure the function returned: ``values`` (one per graph
    output) where graph values were, ints for sizes, the Python values as they were."""
    it = iter(values)
    leaves = [next(it) if kind == "tensor" else int(next(it)) if kind == "size" else value
              for kind, value in region.out_kinds]
    return unflatten(region.out_template, iter(leaves))


def _add_backward(region: RegionGraph) -> None:
    graph = region.graph
    with graph.as_default():
        seeds = [placeholder(o.shape, o.dtype, name=f"grad_{k}") if o.dtype.kind == "f"
                 else None for k, o in enumerate(region.outputs)]
    start = len(graph.nodes)
    ys = [o for o, s in zip(region.outputs, seeds, strict=True) if s is not None]
    with graph.as_default():
        grads = gradients(ys, [region.inputs[i] for i in region.grad_wrt],
                          [s for s in seeds if s is not None])
    kept = [(i, g) for i, g in zip(region.grad_wrt, grads, strict=True) if g is not None]
    region.grad_wrt = [i for i, _ in kept]
    if not kept:
        return
    region.backward = split_backward(graph, start, [g for _, g in kept], seeds)
    region.residuals = [f for f, _ in region.backward.cut if f.op != "placeholder"]


def split_backward(graph: Graph, start: int, grads: list[Node],
                   seeds: list[Node | None]) -> Backward:
    """The nodes ``grads`` need, from node ``start`` on, copied into a new graph; each node
    before ``start`` they read becomes a placeholder there (constants are copied)."""
    position = {n: i for i, n in enumerate(graph.nodes)}
    needed = ancestors(grads, stop=lambda n: position[n] < start)
    back = Graph()
    copies: dict[Node, Node] = {}
    cut = []
    for n in sorted(needed, key=position.__getitem__):
        if position[n] < start and n.op != "constant":
            copy = back.add_node("placeholder", (), {}, n.aval, name=n.name,
                                 location=n.location)
            cut.append((n, copy))
        else:
            copy = back.add_node(n.op, tuple(copies[i] for i in n.inputs), n.attrs, n.aval,
                                 name=n.name, location=n.location, meta=dict(n.meta),
                                 value=n.value)
        copies[n] = copy
    return Backward(back, cut, [None if s is None else copies.get(s) for s in seeds],
                    [copies[g] for g in grads])
