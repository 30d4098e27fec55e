"""Code generation: one planned step of an optimized graph as straight-line Python.

For one concrete feed signature, `generate` orders the work (body, then the commit of
variable updates), plans buffers (`memory_plan`), and writes a function like

    def step(x, y):
        h = _matmul(x, fc1_weight, out=_b0)           # %h @ model.py:12
        h_1 = _add(h, fc1_bias, out=_b0)              # %h_1 @ model.py:12
        ...
        _r0 = loss.copy()
        _subtract(fc1_weight, t_3, out=fc1_weight)    # update %fc1.weight @ model.py:20
        return [_r0, None]

Kernels, ufuncs, variables, constants and buffers are closure locals bound once. The source is
registered with `linecache` under a unique pseudo-filename while the step lives, so tracebacks
show its lines, and ``line_nodes`` maps each line back to the node it computes (for error
messages). Every name, literal and comment in it follows the rules of `source_text`: no text
from a user's names, files or a loaded graph can become code.

Variable updates run last, after every read of the old values, so a step that fails leaves
the variables untouched. An update ``assign(w, sub(w, t))`` whose value nobody else reads is
done in place at commit time: ``np.subtract(w, t, out=w)``, no temporary, no copy.

What each op becomes is the op's own knowledge (its facets, read by `emitters`): nothing here
names an op. An op and its gradient op that one ``with_grad`` form computes together (softmax
cross-entropy: one ``exp`` pass), where the gradient's cotangent is known before the step (the
backward seed), become one statement (`emitters.pair_up`); the gradient then lives in a buffer
of its own.

The step's text is written by `step_source.write_source`. Dims the graph leaves unknown are
planned as `size_symbols.PlannedDim`s: plain ints to everything that plans and runs the step.
The readable source (`step_source.readable`) is the same writing run again while
`source_text.literal` spells those sizes as expressions of names (``N``); nothing in the
executed step changes.
"""

from __future__ import annotations

import functools
import itertools
import linecache
import weakref
from dataclasses import dataclass, field

import numpy as np

from shared_ops.aval import Aval

from ..graph import Graph, Node
from . import emitters
from .memory_plan import BufferPlan, concrete_avals, plan_buffers
from .plan_values import deferred_updates, plan_time_values
from .size_symbols import planned_feeds, settle
from .source_text import check_line
from .step_source import StepPlan, StepText, readable, write_source

_counter = itertools.count()
# Above this many bound values, the step reads them as globals, not closure cells (see _write).
_MAX_CELLS = 1000


@dataclass
class GeneratedStep:
    """A compiled step for one feed signature: the function, its source and its buffers."""

    fn: object
    source: str
    filename: str
    line_nodes: dict[int, Node]
    plan: BufferPlan
    buffers: list[np.ndarray] = field(default_factory=list)
    avals: dict[Node, Aval] = field(default_factory=dict)
    guard: object = None  # Compiled's test that arrays match this plan's feed signature
    # Writes the step after a header defining every name it reads (on demand: big graphs
    # compile without paying for it).
    readable: object = None
    bound: dict = field(default_factory=dict)  # the names the step reads, and their values

    @property
    def readable_source(self) -> str:
        """The step as a self-contained module (`readable_source.render`)."""
        return self.readable() if self.readable is not None else self.source


def generate(graph: Graph, fetches: list[Node], inputs: list[Node],
             feed_avals: dict[Node, Aval]) -> GeneratedStep:
    """Plan and generate the step computing ``fetches`` from positional ``inputs``."""
    # Dims the graph leaves unknown are planned as ints that remember what they are of the
    # feeds (`size_symbols`): the readable source spells them, the step sees plain ints.
    avals = concrete_avals(graph.nodes, planned_feeds(inputs, feed_avals), settle)
    assigns = [n for n in graph.nodes if n.op == "assign"]
    deferred = deferred_updates(graph, assigns, fetches, avals)
    skip = {"placeholder", "variable", "constant", "assign", "group"}
    fixed = plan_time_values(graph, avals, deferred)
    body = [n for n in graph.nodes if n.op not in skip and n not in deferred and n not in fixed]
    end_uses = [f for f in fetches if f.op not in ("group", "assign")]
    end_uses += [a.inputs[1] for a in assigns if a not in deferred.values()]
    end_uses += [i for d in deferred for i in d.inputs]
    end_uses += [a.inputs[1] for a in assigns if a in fetches]

    def in_avals(n):
        return [avals[i] for i in n.inputs]

    forms = {n: emitters.plan(n, in_avals(n), avals[n]) for n in body}

    def fresh(n: Node) -> bool:  # a new array: the kernel's, or the one its form writes
        return emitters.fresh(n) or (forms.get(n) is not None and forms[n].writes_out)

    # A fetched value leaves the step: computing it into a fresh array costs no more than
    # copying it out of a pooled buffer, and one statement less.
    fetched = {f for f in fetches if fresh(f)}
    known = {n for n in graph.nodes if n.op in ("constant", "variable", "placeholder")}
    pairs = emitters.pair_up(body, avals, known | set(fixed), set(fetches))
    joint = {n: emitters.pair_plan(n, g, avals) for n, g in pairs.items()}
    pairs = {n: g for n, g in pairs.items() if joint[n] is not None}
    if pairs:  # a node and its gradient in one statement: the gradient leaves the body
        body = [n for n in body if n not in set(pairs.values())]
    plan = plan_buffers(body, avals, end_uses,
                        lambda n: n not in fetched and n not in pairs and
                        forms[n] is not None and forms[n].writes_out,
                        emitters.inplace_ok, fresh,
                        lambda n: joint[n].scratch if n in pairs else
                        forms[n].scratch if forms[n] is not None else ())
    paired: dict[Node, tuple[Node, int]] = {}  # node -> (its gradient, that one's buffer)
    for node, grad in pairs.items():  # written by the node's statement, read until the end
        paired[node] = (grad, len(plan.buffers))
        plan.buffers.append((tuple(avals[grad].shape), np.dtype(avals[grad].dtype)))
    step = StepPlan(graph, fetches, inputs, avals, body, deferred, assigns, plan, fixed,
                    paired, fresh, [np.empty(shape, dtype) for shape, dtype in plan.buffers])
    return _write(step, write_source(step), functools.partial(readable, step))


def _write(step: StepPlan, text: StepText, readable_text) -> GeneratedStep:
    """Compile the step's source into its function (see the module docstring)."""
    lines, bound = text.lines, text.bound
    # The last guard of `source_text`: each statement is one line of printable ASCII.
    source = "".join(check_line(line) + "\n" for line in lines)
    filename = f"<dualgraph-compiled-{next(_counter)}>"
    if len(bound) <= _MAX_CELLS:
        # The step is nested in a factory whose parameters bind kernels, buffers and weights
        # as closure locals; the factory's `def` line shifts the step's lines down by one.
        factory = f"def _make({', '.join(bound)}):\n" + \
            "\n".join("    " + ln for ln in lines) + "\n    return step\n"
        namespace: dict[str, object] = {}
    else:
        # CPython compiles a function with k closure cells in O(k^2) time (40,000 cells:
        # 2.3 s, against 0.27 s as globals): a big graph's bound values are the globals of
        # its own module instead. A first comment line keeps the factory's line numbers.
        factory = "# dualgraph step: bound values are module globals\n" + source
        namespace = dict(bound)
    linecache.cache[filename] = (len(factory), None, factory.splitlines(True), filename)
    exec(compile(factory, filename, "exec"), namespace)  # noqa: S102 -- our own source
    fn = namespace["_make"](*bound.values()) if "_make" in namespace else namespace["step"]
    # The source stays readable in tracebacks while the step lives, and no longer: a process
    # that compiles and drops many steps must not keep every source it ever generated.
    weakref.finalize(fn, linecache.cache.pop, filename, None)
    return GeneratedStep(fn, source, filename,
                         {k + 1: v for k, v in text.line_nodes.items()}, step.plan,
                         step.buffers, step.avals, readable=readable_text, bound=bound)

