"""The backward walk: gradients from outputs back to leaves, iteratively.

1. Collect the tape entries reachable from the outputs with an explicit stack (a 100,000-op
   chain needs no Python recursion) and order them newest first: entries are numbered as
   they are recorded, and a consumer is always recorded after its inputs' producers.
2. Visit them in that order: every consumer of a value comes before its producer, so when an
   entry is reached its output gradient is complete. Run the op's gradient rule — on plain
   ndarrays (fast, nothing recorded) or, with ``create_graph``, on Tensors under grad mode so
   the backward itself is recorded and can be differentiated again.
3. Sum gradients per leaf, run the leaf's hooks, then accumulate into ``.grad`` out of place
   (a stored ``.grad`` never shares memory with a value the tape or another tensor uses).

Saved arrays are freed after use unless ``retain_graph``; an in-place change to a saved value
since it was recorded raises instead of producing a wrong gradient (the versions are compared
only for entries recorded before the last in-place write anywhere: see `versions`).
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from ..tensor_base import TensorBase, wrap_array
from . import anomaly
from .accumulate_grad import accumulate_grad
from .custom_backward import SHARED_NODE_TYPES, output_slot
from .edges import newest_rebase
from .grad_mode import enable_grad, thread_state
from .history import resolve
from .inplace_errors import modified_error
from .node_hooks import run_posthooks, run_prehooks, run_tensor_hooks
from .output_reads import reads_input, reads_saved_output
from .tape_node import TapeNode
from .versions import epoch

_ndarray = np.ndarray

SECOND_TIME_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


def topological_order(roots) -> list:
    """Tape entries reachable from ``roots`` (TapeNodes), each before the entries it consumes.

    Collected with an explicit stack (no recursion, however long the chain), then sorted by
    recording order, newest first (`TapeNode.seq`): a consumer is always recorded after the
    entries that produced its inputs.
    """
    return _graph(roots)[0]


def _graph(roots) -> tuple[list, dict | None]:
    """`topological_order`, and the edges that are not ``input.grad_fn`` (None when all are).

    Where an entry was recorded before a tensor was rebased by an in-place op under grad
    (`edges.rebase`), an input may have been rebased since, or be a view made stale by a write
    into its base: then the graph is collected again, each edge resolved as it was when its
    entry was recorded (`history.resolve`), and those that differ are returned as
    ``{node: (producer or None per input)}`` for the walk. (Writes outside any graph, running
    statistics or an optimizer's, rebase nothing: the walk stays on the fast path.)
    """
    seen = set(roots)
    stack = list(seen)
    rebased = newest_rebase()
    written = False
    while stack:
        node = stack.pop()
        if node.seq < rebased:
            written = True
        for t in node.inputs:
            if type(t) is not _ndarray:  # arrays are constants; the rest are Tensors
                child = t.grad_fn
                if child is not None and child not in seen:
                    seen.add(child)
                    stack.append(child)
    if not written:
        return sorted(seen, key=_SEQ, reverse=True), None
    return _resolved_graph(roots)


def _resolved_graph(roots) -> tuple[list, dict]:
    redirects: dict = {}
    made: dict = {}
    seen = set(roots)
    stack = list(seen)
    while stack:
        node = stack.pop()
        edges = tuple([None if type(t) is _ndarray else resolve(t, node.seq, made)
                       for t in node.inputs])
        if any(e is not getattr(t, "grad_fn", None) for e, t in zip(edges, node.inputs,
                                                                    strict=True)):
            redirects[node] = edges
        for child in edges:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return sorted(seen, key=_SEQ, reverse=True), redirects


_SEQ = attrgetter("seq")


def _root_gradients(outputs, grad_outputs, create_graph: bool) -> list:
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i]
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g is None:
            data = out._data
            if data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = np.empty(data.shape, data.dtype)  # not np.ones: docs/PERFORMANCE.md
            g.fill(1)
        elif isinstance(g, TensorBase):
            if create_graph:
                grads.append(g)
                continue
            g = g._data
        else:
            g = np.asarray(g, dtype=out._data.dtype)
        if g.shape != out._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{tuple(g.shape)} and output[{i}] has a shape of "
                               f"{tuple(out._data.shape)}.")
        grads.append(wrap_array(g) if create_graph else g)
    return grads


def _check_versions(node) -> None:
    # Only values the gradient rule reads are pinned (as PyTorch checks only what a node
    # saved): add's inputs, index's input, relu's input may change afterwards.
    for i, (t, v) in enumerate(zip(node.inputs, node.versions, strict=True)):
        if type(t) is not _ndarray and t._version_counter[0] != v and reads_input(node, i):
            producer = t.grad_fn.name() if t.grad_fn is not None else None
            raise modified_error(t._data, producer, t._version_counter[0], v, node.name(),
                                 f"input {i}")
    if node.out_counter[0] != node.out_version and reads_saved_output(node):
        raise modified_error(node.out, node.name(), node.out_counter[0], node.out_version,
                             node.name(), "output 0")


def _vjp_on_tensors(node, g, tensors: tuple, out_array):
    """Run the gradient rule on Tensors (``tensors``: the inputs, ``out_array`` the output)
    so that the backward is itself recorded."""
    inputs = tuple([wrap_array(t) if type(t) is _ndarray else t for t in tensors])
    out = wrap_array(out_array, node.out_counter)
    out._requires_grad = True
    out.grad_fn = node  # second derivatives through `output` (exp, tanh...) connect here
    if not isinstance(g, TensorBase | list):  # a list: a shared node's outputs' gradients
        g = wrap_array(np.asarray(g))
    with enable_grad():
        if node.op.vjp_needs:
            return node.op.vjp(g, inputs, out, needs=node.needs, **node.attrs)
        return node.op.vjp(g, inputs, out, **node.attrs)


def _as_value(gi, like: np.ndarray, create_graph: bool, node, position: int):
    """Check a gradient the rule returned against its input: same shape, input's dtype."""
    if getattr(type(gi), "is_sparse", None) is True:  # a COO gradient (eager/sparse) as it is
        return gi
    if create_graph:
        if not isinstance(gi, TensorBase):
            gi = wrap_array(np.asarray(gi))
        data = gi._data
    else:
        if isinstance(gi, TensorBase):  # a rule that built a Tensor on its own
            gi = gi._data
        data = gi = np.asarray(gi)
    if data.shape != like.shape:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index "
                           f"{position} - got {tuple(data.shape)} but expected shape "
                           f"compatible with {tuple(like.shape)}")
    if data.dtype != like.dtype:
        gi = gi.to(like.dtype) if create_graph else data.astype(like.dtype)
    return gi


def run_backward(outputs, grad_outputs, retain_graph: bool, create_graph: bool,
                 targets=None) -> list | None:
    """Backpropagate from ``outputs``.

    ``targets=None``: accumulate into the ``.grad`` of every leaf reached. Otherwise return the
    gradient for each tensor in ``targets`` (None where unreached) and leave ``.grad`` alone.
    Callbacks hooks queued during the walk (`queue_callback`) run after it, once per walk
    (a backward inside a hook has its own).
    """
    # (This thread-local read is also a thread's first one when it ran no forward op: it sets
    # NumPy's IEEE error state, grad_mode.ThreadState.__init__.)
    runs = thread_state.backward_runs
    runs.append([])
    try:
        result = _walk(outputs, grad_outputs, retain_graph, create_graph, targets)
    finally:
        queued = runs.pop()
    for callback in queued:
        callback()
    return result


def _walk(outputs, grad_outputs, retain_graph: bool, create_graph: bool, targets):
    # Gradients summed so far, one per *slot*: the TapeNode that produced a value (its output's
    # gradient, complete when the walk reaches it) or the leaf Tensor itself. Tensors hash by
    # identity, so both kinds of key share one dict.
    pending: dict = {}
    roots = _root_gradients(outputs, grad_outputs, create_graph)
    for out, g in zip(outputs, roots, strict=True):
        _add_to(pending, output_slot(out) or out, g)

    order, redirects = _graph([o.grad_fn for o in outputs if o.grad_fn is not None])
    target_nodes: dict = {}
    if targets is not None:
        target_nodes = {output_slot(t): None for t in targets if t.grad_fn is not None}
        run = _needed(order, targets, target_nodes, redirects)
        producers = {t.grad_fn for t in targets}
        order = [n for n in order if n in run or n in producers]

    check = anomaly.is_anomaly_enabled()
    for node in order:
        g = pending.pop(node, None)
        if g is None:
            if type(node) not in SHARED_NODE_TYPES:
                continue
            g = _gather_outputs(node, pending, create_graph, target_nodes)
            if g is None or targets is not None and node not in run:
                continue
        if node.hooks:
            g = run_tensor_hooks(node.hooks, g, create_graph)
        own_hooks = node.node_hooks  # registered on the node itself (grad_fn.register_hook)
        if own_hooks is not None and own_hooks.pre:
            g = run_prehooks(own_hooks, g, create_graph)
        if target_nodes and node in target_nodes:
            target_nodes[node] = g
            if node not in run:  # the gradient w.r.t. this non-leaf is all that was asked
                continue
        arrays, op = node.arrays, node.op
        if arrays is None:
            raise RuntimeError(SECOND_TIME_MESSAGE)
        # The write-epoch skip (docs/PERFORMANCE.md): versions compared only if something
        # was written in place since the entry was recorded.
        if node.epoch != epoch():
            _check_versions(node)
        out, tensors = node.out, node.inputs
        if own_hooks is not None and own_hooks.saved is not None:  # saved_tensors_hooks
            arrays, out, tensors = own_hooks.saved.values(node)
        if create_graph:
            grads = _vjp_on_tensors(node, g, tensors, out)
        elif op.vjp_needs:
            grads = op.vjp(g, arrays, out, needs=node.needs, **node.attrs)
        else:
            grads = op.vjp(g, arrays, out, **node.attrs)
        inputs, needs = node.inputs, node.needs
        edges = redirects.get(node) if redirects else None  # as recorded (see _graph)
        if len(grads) != len(inputs):
            raise RuntimeError(f"function {node.name()} returned {len(grads)} gradients for "
                               f"{len(inputs)} inputs")
        if own_hooks is not None and own_hooks.post:
            # A custom Function's hooks see every gradient its backward returned (PyTorch's).
            shown = needs if node.masks_grad_inputs else (True,) * len(grads)
            grads = run_posthooks(own_hooks, grads, shown, g, create_graph)
        # Indexed, not a zip iterator (with the seed's np.empty + fill, one measured trick:
        # docs/PERFORMANCE.md).
        for i, t in enumerate(inputs):
            if not needs[i]:
                continue
            gi = grads[i]
            if gi is None:
                continue
            like = t._data
            if create_graph or type(gi) is not _ndarray or gi.shape != like.shape \
                    or gi.dtype != like.dtype:
                gi = _as_value(gi, like, create_graph, node, i)
            if check:
                anomaly.check_gradient(node, i, gi)
            slot = (t.grad_fn if edges is None else edges[i]) or t
            if type(slot) in SHARED_NODE_TYPES:  # one grad_fn for several outputs
                slot = slot.output_slots[t._extra["output_nr"]]
            prev = pending.get(slot)
            # Never summed in place: a rule may hand one array to several inputs (add).
            pending[slot] = gi if prev is None else _plus(prev, gi)
        if not retain_graph:  # free the saved values
            node.arrays = node.out = None
            if own_hooks is not None:
                own_hooks.saved = None

    if targets is not None:
        return [_target_grad(t, target_nodes, pending, create_graph) for t in targets]
    for slot in pending:
        if not isinstance(slot, TapeNode):  # every node reached was popped; the rest: leaves
            accumulate_grad(slot, pending[slot], create_graph)
    return None


def current_walk() -> list | None:
    """The callbacks list of the backward walk running in this thread (its identity tells
    walks apart), None outside backward."""
    runs = thread_state.backward_runs
    return runs[-1] if runs else None


def queue_callback(callback) -> None:
    """Run ``callback()`` when the backward in progress in this thread has finished (called
    from a hook; PyTorch's engine queue). A backward that raises drops its callbacks."""
    runs = thread_state.backward_runs
    if not runs:
        raise RuntimeError("queue_callback: no backward is running in this thread")
    runs[-1].append(callback)


def _add_to(pending: dict, slot, g) -> None:
    """Sum ``g`` into the pending gradient of ``slot`` (out of place)."""
    prev = pending.get(slot)
    pending[slot] = g if prev is None else _plus(prev, g)


def _plus(a, b):
    """``a + b`` that stays an array: NumPy turns the sum of two 0-d arrays into a scalar, which
    the dispatcher would then treat as a weak Python scalar and round to float32."""
    total = a + b
    return np.asarray(total) if isinstance(total, np.generic) else total


def _gather_outputs(node, pending: dict, create_graph: bool, target_nodes: dict) -> list | None:
    """The gradients of a shared node's outputs (`custom_backward.OutputSlot`), each after its
    output's hooks (None where none arrived); None when no output got one."""
    grads = [pending.pop(slot, None) for slot in node.output_slots]
    if all(g is None for g in grads):
        return None
    for k, slot in enumerate(node.output_slots):
        if grads[k] is not None and slot.hooks:
            grads[k] = run_tensor_hooks(slot.hooks, grads[k], create_graph)
        if slot in target_nodes:
            target_nodes[slot] = grads[k]
    return grads


def _needed(order: list, targets, target_nodes: dict, redirects: dict | None) -> set:
    """Entries that lead to a target through their inputs: only their rules run (as in
    PyTorch, ``autograd.grad`` computes nothing beyond what it returns)."""
    wanted_leaves = {id(t) for t in targets if t.grad_fn is None}
    needed: set = set()
    for node in reversed(order):  # producers first
        edges = redirects.get(node) if redirects else None
        for i, t in enumerate(node.inputs):
            if type(t) is not _ndarray and (id(t) in wanted_leaves or output_slot(t) in
                                            target_nodes or (t.grad_fn if edges is None
                                                             else edges[i]) in needed):
                needed.add(node)
                break
    return needed


def _target_grad(t, target_nodes: dict, pending: dict, create_graph: bool):
    if t.grad_fn is not None:
        g = target_nodes.get(output_slot(t))
    else:
        g = pending.get(t)
        hooks = t._extra.get("hooks") if t._extra else None
        if g is not None and hooks:
            g = run_tensor_hooks(hooks, g, create_graph)
    if g is None:
        return None
    return g if isinstance(g, TensorBase) else wrap_array(np.array(g))
