"""`RMSprop`: divide the gradient by a running root mean square, PyTorch's update::

    g = g + weight_decay * p
    s = alpha * s + (1 - alpha) * g * g
    a = s - ga * ga  with  ga = ga + (1 - alpha) * (g - ga)       (centered only)
    d = g / (sqrt(a or s) + eps)
    buf = momentum * buf + d ;  d = buf                            (momentum > 0 only)
    p = p - lr * d

State: ``step``, ``square_avg``, then ``momentum_buffer`` (momentum > 0) and ``grad_avg``
(centered), in PyTorch's order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_flags, check_lr, check_non_negative
from .optimizer import Optimizer
from .update_steps import prepare_grad


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False, capturable=False, foreach=None, maximize=False, differentiable=False)``
    (every argument positional, as in PyTorch)."""

    _array_state = True
    _group_fallbacks = {"momentum": 0, "centered": False, "foreach": None, "maximize": False,
                        "differentiable": False, "capturable": False}

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        check_lr(lr)
        check_non_negative(("learning rate", lr), ("epsilon value", eps),
                           ("momentum value", momentum), ("weight_decay value", weight_decay),
                           ("alpha value", alpha))
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
            "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable})

    def _compute(self, p, g, group, state, scratch):
        alpha, momentum = group["alpha"], group["momentum"]
        delta = scratch_buffer(scratch, "delta", p)
        g = prepare_grad(p, g, group, scratch, decoupled=False, decay_key="delta")
        one_minus_alpha = _constant(scratch, "1-alpha", 1 - alpha, p)
        new_state = {"step": step_count(state) + 1.0}
        s = new_state["square_avg"] = scratch_buffer(scratch, "square_avg", p)
        if momentum > 0:
            new_state["momentum_buffer"] = scratch_buffer(scratch, "momentum_buffer", p)
        np.multiply(g, g, out=s)
        np.multiply(s, one_minus_alpha, out=s)
        old = held(state, "square_avg")
        if old is not None:
            np.add(s, np.multiply(old, _constant(scratch, "alpha", alpha, p), out=delta),
                   out=s)
        if group["centered"]:
            ga = new_state["grad_avg"] = scratch_buffer(scratch, "grad_avg", p)
            old = held(state, "grad_avg")
            if old is None:
                np.multiply(g, one_minus_alpha, out=ga)
            else:
                np.subtract(g, old, out=ga)
                np.multiply(ga, one_minus_alpha, out=ga)
                np.add(old, ga, out=ga)
            np.multiply(ga, ga, out=delta)
            np.subtract(s, delta, out=delta)
            np.sqrt(delta, out=delta)
        else:
            np.sqrt(s, out=delta)
        np.add(delta, _constant(scratch, "eps", group["eps"], p), out=delta)
        np.divide(g, delta, out=delta)
        lr = _constant(scratch, "lr", group["lr"], p)
        if momentum > 0:
            buf = new_state["momentum_buffer"]
            old = held(state, "momentum_buffer")
            if old is None:
                np.copyto(buf, delta)
            else:
                np.multiply(old, _constant(scratch, "momentum", momentum, p), out=buf)
                np.add(buf, delta, out=buf)
            return np.multiply(buf, lr, out=delta), new_state
        return np.multiply(delta, lr, out=delta), new_state
