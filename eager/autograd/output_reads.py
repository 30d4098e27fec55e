"""Whether an op's gradient rule reads the op's output or an input: what decides if an entry
survives an in-place change of that value (``ctx.mark_dirty`` in a custom Function, and the
backward walk's version checks: `reads_saved_output`, `reads_input`).

PyTorch checks the version of a value only where a node saved it: ``clone``'s node saves
nothing, so its output may be modified in place afterwards; ``exp``'s saves its output, so a
change to it is an error at backward. Here a rule receives the output as its third argument
``(g, inputs, output, **attrs)``; a rule whose code never loads that argument (nor hands it
to a nested function) does not depend on it. Anything the code cannot tell (a rule that is
not a plain function) counts as reading it: the safe answer is an error, never a silently
wrong gradient.

    >>> from shared_ops.op_table import OPS
    >>> reads_output(OPS["add"]), reads_output(OPS["exp"])
    (False, True)
"""

from __future__ import annotations

import dis
import types

_LOADS = frozenset({"LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_FAST_CHECK",
                    "LOAD_FAST_AND_CLEAR", "LOAD_FAST_LOAD_FAST"})
_CACHE: dict = {}


def reads_output(op) -> bool:
    """True unless ``op``'s gradient rule provably never reads its ``output`` argument."""
    return reads_argument(op, 2)


def reads_argument(op, position: int) -> bool:
    """True unless ``op``'s gradient rule ``(g, inputs, output, **attrs)`` provably never
    reads its argument at ``position`` (1: the inputs, 2: the output)."""
    key = (op, position)
    known = _CACHE.get(key)
    if known is None:
        known = _CACHE[key] = _reads(op.vjp, position)
    return known


def _reads(rule, position: int) -> bool:
    if not isinstance(rule, types.FunctionType):
        return True
    code = rule.__code__
    if code.co_argcount <= position:
        return True  # (g, *rest): the argument is in an unnamed tuple
    name = code.co_varnames[position]
    if name in code.co_cellvars:  # a nested function closes over it
        return True
    for ins in dis.get_instructions(code):
        if ins.opname in _LOADS:
            value = ins.argval
            if value == name or isinstance(value, tuple) and name in value:
                return True
    return False


def reads_saved_output(node) -> bool:
    """Whether the backward of ``node`` (a tape entry) reads its output's value."""
    op = node.op
    if getattr(op, "reads_values", True) is False:
        return False
    if not hasattr(op, "linear_in"):  # a custom Function's: checked as before, strictly
        return True
    return reads_output(op)


def reads_input(node, i: int) -> bool:
    """Whether the backward of ``node`` reads the value of its input ``i`` (not just its
    shape and dtype), given which inputs it computes gradients for (``node.needs``).

    From the op's facets, where they prove it: a rule that never loads its inputs; an op
    linear in the inputs (``linear_in``: its Jacobian there is constant, so a gradient for
    them reads none of them, and the other inputs only when they want one too); input 0 of a
    view op or of ``index`` (a gather: its rule reads ``x``'s shape and dtype). Anything
    else counts as read: the safe answer is an error, never a wrong gradient.
    """
    op = node.op
    if getattr(op, "reads_values", True) is False:
        return False
    if not hasattr(op, "linear_in"):  # a custom Function's: its ctx checks what it saved
        return True
    if not reads_argument(op, 1) or (i == 0 and (op.view or op.name == "index")):
        return False
    linear, needs = op.linear_in, node.needs
    if linear == "all":
        return False
    if linear == "each":  # bilinear: the gradient of each input reads the others
        return any(need for k, need in enumerate(needs) if k != i)
    if linear is None or i not in linear:
        return True
    # The Jacobian for the inputs in `linear` does not depend on them; for the others it may.
    return any(need for k, need in enumerate(needs) if k not in linear)
