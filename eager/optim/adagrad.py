"""`Adagrad`: per-element learning rates from the sum of squared gradients, PyTorch's update::

    g = -g                                   (maximize only)
    g = g + weight_decay * p
    clr = lr / (1 + (t - 1) * lr_decay)
    sum = sum + g * g                        (sum starts at initial_accumulator_value)
    p = p - clr * g / (sqrt(sum) + eps)

State: ``step`` and ``sum``, created for every parameter by the constructor (as PyTorch's,
so a state dict taken before the first step already lists them).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..tensor_base import wrap_array
from .buffers import _constant, held, scratch_buffer, step_count, step_dtype
from .checks import check_flags, check_lr, check_non_negative
from .optimizer import Optimizer
from .update_steps import prepare_grad


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None)``."""

    _array_state = True
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "fused": None}

    def __init__(self, params: Iterable, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr)
        check_non_negative(("learning rate", lr), ("lr_decay value", lr_decay),
                           ("weight_decay value", weight_decay),
                           ("initial_accumulator_value value", initial_accumulator_value),
                           ("epsilon value", eps))
        check_flags(foreach, fused, differentiable)
        super().__init__(params, {
            "lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "fused": fused})
        # Only the constructor's groups, as PyTorch (a group added later starts its sums at
        # its first step).
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {
                    "step": wrap_array(np.zeros((), step_dtype())),
                    "sum": wrap_array(np.full_like(p._data, initial_accumulator_value))}

    def _densified(self, grad, group):
        # torch's sparse path updates the touched rows only; the dense update of the dense form
        # is the same (untouched rows: a zero step, a zero added to their sum).
        if group["weight_decay"] != 0:
            raise RuntimeError("weight_decay option is not compatible with sparse gradients")
        return grad.to_dense()

    def _compute(self, p, g, group, state, scratch):
        delta = scratch_buffer(scratch, "delta", p)
        g = prepare_grad(p, g, group, scratch, decoupled=False, decay_key="delta")
        step = step_count(state) + 1.0
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = scratch_buffer(scratch, "sum", p)
        np.multiply(g, g, out=total)
        old = held(state, "sum")
        np.add(total, group["initial_accumulator_value"] if old is None else old, out=total)
        np.sqrt(total, out=delta)
        np.add(delta, _constant(scratch, "eps", group["eps"], p), out=delta)
        np.divide(g, delta, out=delta)
        np.multiply(delta, _constant(scratch, "clr", clr, p), out=delta)
        return delta, {"step": step, "sum": total}
