"""What recording a tape entry does beyond making it, when something asks for more: anomaly
mode's source line, and the saved-tensor hooks of `saved_hooks` (pack each value the entry
saves).

The hot path (`eager.tensor`) reads one module flag, `extras`, per recorded op: False unless
anomaly detection is on or a ``saved_tensors_hooks`` block is open in some thread; then it
calls `finish`. The hooks themselves are per thread, as PyTorch's.
"""

from __future__ import annotations

import threading

from shared_ops.errors import user_location

from ..tensor_base import wrap_array
from .node_hooks import own_hooks
from .output_reads import reads_argument

extras = False  # read by eager.tensor's _record: True while `finish` has something to do
_anomaly = False
_hooks_open = 0  # saved_tensors_hooks blocks open, all threads together
_lock = threading.Lock()


class _HookState(threading.local):
    def __init__(self) -> None:
        self.stack: list = []  # (pack, unpack) per open saved_tensors_hooks block, innermost last
        self.disabled: list = []  # error messages of open disable_saved_tensors_hooks blocks


hook_state = _HookState()


def set_anomaly(on: bool) -> None:
    """Anomaly mode switched (`anomaly`): entries record the user's line while it is on."""
    global _anomaly, extras
    _anomaly = on
    extras = _anomaly or _hooks_open > 0


def count_hooks(delta: int) -> None:
    """A saved_tensors_hooks block opened (+1) or closed (-1) in some thread."""
    global _hooks_open, extras
    with _lock:
        _hooks_open += delta
        extras = _anomaly or _hooks_open > 0


def finish(node) -> None:
    """The extras for a new entry: its user line in anomaly mode; the innermost open
    saved-tensor hooks of this thread packing what it saves."""
    if _anomaly:
        node.location = user_location()
    stack = hook_state.stack
    if stack:
        pack, unpack = stack[-1]
        own_hooks(node).saved = PackedSaved(node, pack, unpack)


def call_unhooked(hook, value):
    """``hook(value)`` with this thread's saved-tensor hooks off: ops a pack or unpack hook
    runs save their own values plainly (as in PyTorch, where hooks do not re-enter)."""
    state = hook_state
    stack, state.stack = state.stack, []
    try:
        return hook(value)
    finally:
        state.stack = stack


_NOT_SAVED = object()


class PackedSaved:
    """What a pack hook made of an entry's saved values: its Tensor inputs, when its gradient
    rule reads its inputs, and its output, when the rule reads that; unpacked at backward."""

    __slots__ = ("inputs", "output", "unpack")

    def __init__(self, node, pack, unpack) -> None:
        self.unpack = unpack
        reads_inputs = reads_argument(node.op, 1)
        self.inputs = tuple(call_unhooked(pack, t) if reads_inputs and hasattr(t, "_data")
                            else _NOT_SAVED for t in node.inputs)
        self.output = _NOT_SAVED
        if reads_argument(node.op, 2):
            self.output = call_unhooked(pack, _output_tensor(node))

    def values(self, node) -> tuple:
        """``(arrays, out, tensors)``: the entry's saved arrays and input Tensors with every
        packed value replaced by what the unpack hook returns."""
        arrays, tensors, out = list(node.arrays), list(node.inputs), node.out
        for i, packed in enumerate(self.inputs):
            if packed is not _NOT_SAVED:
                t = _unpacked(call_unhooked(self.unpack, packed), node)
                arrays[i] = t._data
                tensors[i] = t
        if self.output is not _NOT_SAVED:
            out = _unpacked(call_unhooked(self.unpack, self.output), node)._data
        return tuple(arrays), out, tuple(tensors)


def _output_tensor(node):
    """The entry's output as a Tensor of the graph (what PyTorch hands the pack hook)."""
    t = wrap_array(node.out, node.out_counter)
    t._requires_grad = True
    t.grad_fn = node
    return t


def _unpacked(value, node):
    if not hasattr(value, "_data"):
        raise TypeError(f"Output of saved tensor unpack_hook expected to be a Tensor but got "
                        f"result of type {type(value).__name__} (in {node.name()})")
    return value
