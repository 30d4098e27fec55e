"""Forward-mode derivatives of one op, from its gradient rule: ``J t`` by transposing the
rule's linear map.

An op's gradient rule ``vjp(u, inputs, output)`` is the linear map ``u -> (J_i^T u)_i`` (each
``J_i`` the Jacobian of the output with respect to input ``i`` at these inputs). Its transpose
is the forward derivative: for tangents ``t_i``, ``sum_i J_i t_i`` is the gradient with respect
to ``u`` of ``sum_i <J_i^T u, t_i>``. So the rule runs once on Tensors with ``u`` recorded,
the inner products are summed, and one backward gives the output's tangent: the exact
derivative of that op (the same rule reverse mode uses, no finite differences), at the cost
of a reverse pass per op (what PyTorch calls the double-backward trick).

    >>> import numpy as np, eager
    >>> from shared_ops.op_table import OPS
    >>> x = eager.tensor([0.0, 1.0])
    >>> jvp_of(OPS["exp"], (x,), x.exp(), (eager.ones(2),), {})
    tensor([1.0000, 2.7183])
"""

from __future__ import annotations

import numpy as np

from ..tensor_base import TensorBase, wrap_array
from .grad_mode import enable_grad, is_grad_enabled


def jvp_of(op, args: tuple, out, tangents: tuple, attrs: dict):
    """The tangent of ``out = op(*args, **attrs)`` given a tangent per argument (None: the
    argument is held fixed); None when the output does not depend on any tangent.

    With grad mode on and a primal or tangent requiring grad, the tangent is itself recorded
    (differentiable with respect to both, as PyTorch's forward-over-reverse); else it is a
    plain tensor."""
    from . import grad  # the package's reverse mode (imported late: it imports this module)

    if op.vjp is None or not op.differentiable_output:  # a constant of the inputs (argmax)
        return None
    keep = is_grad_enabled() and any(getattr(v, "_requires_grad", False)
                                     for v in (*args, *tangents, out))
    if keep:  # the rule on the primals themselves, so the tangent keeps their graph
        inputs = tuple(a if isinstance(a, TensorBase) else wrap_array(np.asarray(a))
                       for a in args)
        output = out
    else:
        inputs = tuple(wrap_array(a._data if isinstance(a, TensorBase) else np.asarray(a))
                       for a in args)
        output = wrap_array(out._data)
    with enable_grad():
        u = wrap_array(np.zeros_like(out._data))
        u.requires_grad_(True)
        if op.vjp_needs:
            needs = tuple(t is not None for t in tangents)
            grads = op.vjp(u, inputs, output, needs=needs, **attrs)
        else:
            grads = op.vjp(u, inputs, output, **attrs)
        total = None
        for g, t in zip(grads, tangents, strict=True):
            if g is None or t is None or not isinstance(g, TensorBase) or not g.requires_grad:
                continue  # no tangent, or a gradient that does not depend on u (zero)
            if t._data.dtype != g._data.dtype:
                t = t.to(g.dtype)
            term = (g * (t if keep else t.detach())).sum()
            total = term if total is None else total + term
        if total is None:
            return None
        (tangent,) = grad(total, u, create_graph=keep, allow_unused=True)
    if tangent is None or keep:
        return tangent
    return wrap_array(np.array(tangent._data))
