"""`Adadelta`: steps scaled by the ratio of running RMS of updates and of gradients,
PyTorch's update::

    g = -g                                   (maximize only)
    g = g + weight_decay * p
    v = rho * v + (1 - rho) * g * g
    d = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * d * d
    p = p - lr * d

State: ``step``, ``square_avg`` (v) and ``acc_delta`` (u), both starting at zero.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_flags, check_lr, check_non_negative
from .optimizer import Optimizer
from .update_steps import prepare_grad


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
    capturable=False, maximize=False, differentiable=False)``."""

    _array_state = True
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}

    def __init__(self, params: Iterable, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        check_lr(lr)
        check_non_negative(("learning rate", lr))
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative(("epsilon value", eps), ("weight_decay value", weight_decay))
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
            "maximize": maximize, "capturable": capturable, "foreach": foreach,
            "differentiable": differentiable})

    def _compute(self, p, g, group, state, scratch):
        rho = group["rho"]
        delta = scratch_buffer(scratch, "delta", p)
        tmp = scratch_buffer(scratch, "tmp", p)
        g = prepare_grad(p, g, group, scratch, decoupled=False, decay_key="tmp")
        rho_ = _constant(scratch, "rho", rho, p)
        one_minus_rho = _constant(scratch, "1-rho", 1 - rho, p)
        eps = _constant(scratch, "eps", group["eps"], p)
        old_v, old_u = held(state, "square_avg"), held(state, "acc_delta")
        v = scratch_buffer(scratch, "square_avg", p)
        u = scratch_buffer(scratch, "acc_delta", p)
        # v = rho v + (1 - rho) g^2   (a missing state is PyTorch's zeros)
        np.multiply(g, g, out=v)
        np.multiply(v, one_minus_rho, out=v)
        if old_v is not None:
            np.add(np.multiply(old_v, rho_, out=tmp), v, out=v)
        # d = sqrt(u + eps) / sqrt(v + eps) * g
        np.add(v, eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        if old_u is None:
            delta.fill(np.sqrt(eps))
        else:
            np.add(old_u, eps, out=delta)
            np.sqrt(delta, out=delta)
        np.divide(delta, tmp, out=delta)
        np.multiply(delta, g, out=delta)
        # u = rho u + (1 - rho) d^2
        np.multiply(delta, delta, out=u)
        np.multiply(u, one_minus_rho, out=u)
        if old_u is not None:
            np.add(np.multiply(old_u, rho_, out=tmp), u, out=u)
        np.multiply(delta, _constant(scratch, "lr", group["lr"], p), out=delta)
        return delta, {"step": step_count(state) + 1.0, "square_avg": v, "acc_delta": u}
