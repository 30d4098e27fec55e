"""Control flow for eager code: `cond`, `while_loop` and `scan` from `shared_ops.control_flow`.

On Tensors they simply run Python (one branch, the iterations the condition allows), so
autograd records the ops actually executed and gradients flow through them. The same calls
on static Nodes build graph nodes instead, which is why model code written with them runs
unchanged in both modes.

    >>> import eager
    >>> x = eager.tensor([1.0, -2.0], requires_grad=True)
    >>> y = eager.cond(x.sum() > 0, lambda v: v * 2, lambda v: -v, x)
    >>> y.sum().backward(); x.grad
    tensor([-1., -1.])
"""

from shared_ops.control_flow import cond, scan, while_loop

__all__ = ["cond", "scan", "while_loop"]
