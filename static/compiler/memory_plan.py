"""Memory planning: concrete shapes for one feed signature, liveness, buffer assignment.

Given the body order of a step and which nodes write into a preallocated buffer (``out=``),
the planner gives every such node a buffer index, reusing the buffers of values that are dead
(exact shape and dtype match: no reinterpretation of memory), and lets elementwise ops write
over an input that dies at that very op (``np.add(a, b, out=a)``).

Aliasing is tracked by *storages*: a buffer-backed node owns one storage; a view op (reshape,
transpose, broadcast_to, basic indexing...) and any op whose kernel might return a view carry
the storages of all their inputs. A storage is free only when every node that may alias it is
dead, so a buffer is never reused while a view into it is still live. Values used at the end
of the step (fetches, assigned values, deferred in-place updates) stay live to the end.

    plan = plan_buffers(body, avals, end_uses, wants_buffer, inplace_ok)
    plan.buffer_of[node] -> index into plan.buffers [(shape, dtype), ...]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

import shared_ops
from shared_ops.aval import Aval

from ..control_flow import output_avals
from ..errors import FeedError
from ..graph import Node
from .size_symbols import size_key


def concrete_avals(nodes: Iterable[Node], feeds: dict[Node, Aval],
                   settle: Callable[[Node, Aval], Aval] | None = None) -> dict[Node, Aval]:
    """Every node's aval for concrete feed shapes (a dim may stay None if data-dependent).
    ``settle(node, aval)``, when given, adjusts each aval before later nodes read it
    (`size_symbols.settle`)."""
    avals: dict[Node, Aval] = {}
    for n in nodes:
        if n.op == "placeholder":
            if n not in feeds:
                raise FeedError("compile", f"placeholder %{n.name} ({n.aval}) needs a feed")
            avals[n] = feeds[n]
        elif n.op in ("variable", "constant"):
            avals[n] = Aval(n.value.shape, n.value.dtype)
        elif n.op == "assign":
            avals[n] = avals[n.inputs[0]]
        elif n.op == "tuple_get":  # one output of a control-flow node, for these shapes
            control = n.inputs[0]
            outs = output_avals(control, [avals[i] for i in control.inputs])
            avals[n] = outs[n.attrs["index"]]
        elif n.op in shared_ops.OPS and shared_ops.OPS[n.op].primitive:
            avals[n] = shared_ops.OPS[n.op].shape_rule(*(avals[i] for i in n.inputs),
                                                       **n.attrs)
        else:
            avals[n] = n.aval
        if settle is not None:
            avals[n] = settle(n, avals[n])
    return avals


@dataclass
class BufferPlan:
    """Which node writes into which preallocated buffer."""

    buffers: list[tuple[tuple, np.dtype]] = field(default_factory=list)
    buffer_of: dict[Node, int] = field(default_factory=dict)
    inplace: dict[Node, Node] = field(default_factory=dict)  # node -> input it overwrites
    # node -> buffers it may use as temporaries during its own statement only
    scratch: dict[Node, list[int]] = field(default_factory=dict)
    storages: dict[Node, frozenset] = field(default_factory=dict)

    def aliases_buffer(self, node: Node) -> bool:
        """True when ``node``'s value may live in (or view) a pooled buffer."""
        return bool(self.storages.get(node))

    def bytes(self) -> int:
        return int(sum(np.prod(s, dtype=np.int64) * np.dtype(d).itemsize
                       for s, d in self.buffers))


def plan_buffers(body: list[Node], avals: dict[Node, Aval], end_uses: Iterable[Node],
                 wants_buffer: Callable[[Node], bool],
                 inplace_ok: Callable[[Node], bool],
                 fresh: Callable[[Node], bool],
                 scratch: Callable[[Node], list] | None = None) -> BufferPlan:
    """Assign buffers to the nodes of ``body`` (in order) for which ``wants_buffer``.

    ``end_uses``: nodes read after the body (fetches, committed values). ``fresh(node)``:
    its kernel always returns a new array (no view of an input), so it aliases nothing.
    ``scratch(node)``: ``[(shape, dtype), ...]`` temporaries the node's statement needs; they
    are taken from the free buffers (never one it reads or writes) and freed right after.
    """
    end = len(body)
    last_use: dict[Node, int] = {}
    for k, n in enumerate(body):
        for i in n.inputs:
            last_use[i] = k
    for n in end_uses:
        last_use[n] = end

    plan = BufferPlan()
    refcount: dict[int, int] = {}
    free: dict[tuple, list[int]] = {}
    free_key: list[tuple] = []  # per buffer, its `_free_key`

    def release(n: Node) -> None:
        for s in plan.storages.get(n, ()):
            refcount[s] -= 1
            if refcount[s] == 0:
                free.setdefault(free_key[s], []).append(s)

    def take(key: tuple) -> int:
        """A free buffer of this shape and dtype, or a new one."""
        fk = _free_key(key)
        if free.get(fk):
            return free[fk].pop()
        plan.buffers.append(key)
        free_key.append(fk)
        refcount[len(plan.buffers) - 1] = 0
        return len(plan.buffers) - 1

    for k, n in enumerate(body):
        if wants_buffer(n):
            aval = avals[n]
            key = (tuple(aval.shape), np.dtype(aval.dtype))
            victim = _inplace_victim(n, k, plan, last_use, refcount, _free_key(key), free_key) \
                if inplace_ok(n) else None
            if victim is not None:
                s = plan.buffer_of[victim]
                plan.inplace[n] = victim
            else:
                s = take(key)
            plan.buffer_of[n] = s
            plan.storages[n] = frozenset({s})
        elif fresh(n) or n.op in ("placeholder", "variable", "constant"):
            plan.storages[n] = frozenset()
        else:  # might be a view of any input: carries all their storages
            plan.storages[n] = frozenset().union(*(plan.storages.get(i, frozenset())
                                                   for i in n.inputs))
        for s in plan.storages[n]:
            refcount[s] += 1
        temps = scratch(n) if scratch is not None else ()
        for shape, dtype in temps:
            plan.scratch.setdefault(n, []).append(take((tuple(shape), np.dtype(dtype))))
        done = set()
        for i in n.inputs:
            if last_use.get(i) == k and i not in done:
                done.add(i)
                release(i)
        if n not in last_use:  # computed but never read (kept for its effect)
            release(n)
        for s in plan.scratch.get(n, ()):
            free.setdefault(free_key[s], []).append(s)
    return plan


def _free_key(buffer: tuple) -> tuple:
    """Which buffers are interchangeable: one shape and dtype for every size of the unknown
    feed dims (a planned batch of 32 never shares a buffer with a hidden size of 32, so the
    readable source runs at any batch)."""
    shape, dtype = buffer
    return size_key(shape), dtype


def _inplace_victim(n: Node, k: int, plan: BufferPlan, last_use: dict, refcount: dict,
                    key: tuple, free_key: list) -> Node | None:
    """An input whose buffer ``n`` may overwrite: it owns the buffer (not a view), has
    ``n``'s shape and dtype, and every alias of that buffer dies at ``n``."""
    for i in n.inputs:
        s = plan.buffer_of.get(i)
        if s is None or free_key[s] != key or last_use.get(i) != k:
            continue
        # Only a single ufunc call reads all its operands before writing: an out form of
        # several calls (add_n term by term) would read an input passed twice
        # (add_n(a, b, b) over b) after overwriting it.
        if n.inputs.count(i) > 1 and getattr(shared_ops.OPS.get(n.op), "ufunc", None) is None:
            continue
        # i must be the only live holder of s, and no other input of n may view s in another
        # layout (the ufunc would read what it already overwrote).
        views = [j for j in n.inputs if j is not i and s in plan.storages.get(j, ())]
        if refcount[s] == 1 and not views:
            return i
    return None
