"""``torch.func`` for eager: function transforms built on the tape.

    >>> import eager
    >>> from eager.func import grad, vmap
    >>> vmap(grad(lambda x: (x ** 3).sum()))(eager.tensor([[1.0], [2.0]]))
    tensor([[ 3.],
            [12.]])

``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd``, ``hessian``, ``vmap``,
``functional_call``, ``stack_module_state``, ``linearize``, ``functionalize``,
``replace_all_batch_norm_modules_`` and ``debug_unwrap`` take torch 2.13's arguments and return
its structures (``rearrange``, einops' notation, is not here). They are built on eager's one
tape (`tape_level`): there is no forward mode (``jvp`` and ``jacfwd`` use reverse passes) and
no batching rules (``vmap`` loops).
"""

from __future__ import annotations

from .extras import debug_unwrap, functionalize, linearize, replace_all_batch_norm_modules_
from .functional_call import functional_call, stack_module_state
from .grad import grad, grad_and_value, vjp
from .jacobians import hessian, jacfwd, jacrev
from .jvp import jvp
from .vmap import vmap

__all__ = ["functional_call", "stack_module_state", "grad", "grad_and_value", "vjp", "jvp",
           "jacrev", "jacfwd", "hessian", "vmap", "linearize", "functionalize",
           "replace_all_batch_norm_modules_", "debug_unwrap"]
