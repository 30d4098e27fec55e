"""`ASGD`: averaged stochastic gradient descent, PyTorch's update. Each step shrinks the weight
by ``1 - lambd * eta`` and moves it by ``-eta * g``; ``ax`` averages the iterates from step
``t0`` on (before that it copies them); the step size decays as
``eta = lr / (1 + lambd * lr * t) ** alpha``.

State: ``step``, ``eta`` and ``mu`` (float32 scalars, as PyTorch keeps them: the next step
reads them back in that precision) and ``ax``.

    >>> import eager
    >>> w = eager.nn.Parameter(eager.tensor([1.0]))
    >>> opt = ASGD([w], lr=0.1)
    >>> w.grad = eager.tensor([1.0])
    >>> opt.step()
    >>> round(w.item(), 5)
    0.89999
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_flags, check_lr, check_non_negative
from .optimizer import Optimizer
from .update_steps import prepare_grad


class ASGD(Optimizer):
    """``ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
    maximize=False, differentiable=False, capturable=False)``."""

    _array_state = True
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}

    def __init__(self, params: Iterable, lr: float = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_lr(lr)
        check_non_negative(("learning rate", lr), ("weight_decay value", weight_decay))
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
            "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            "capturable": capturable})

    def _compute(self, p, g, group, state, scratch):
        lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
        g = prepare_grad(p, g, group, scratch, decoupled=False)
        step = step_count(state) + 1.0
        eta, mu = held(state, "eta"), held(state, "mu")
        eta = float(np.float32(lr) if eta is None else eta)
        mu = float(np.float32(1.0) if mu is None else mu)
        # p_new = p * (1 - lambd eta) - eta g, as the update p - delta.
        new = np.multiply(p, _constant(scratch, "shrink", 1 - lambd * eta, p),
                          out=scratch_buffer(scratch, "new", p))
        scaled = np.multiply(g, _constant(scratch, "eta", eta, p),
                             out=scratch_buffer(scratch, "scaled", p))
        np.subtract(new, scaled, out=new)
        delta = np.subtract(p, new, out=scratch_buffer(scratch, "delta", p))
        ax = scratch_buffer(scratch, "ax", p)
        old_ax = held(state, "ax")
        if mu != 1 and old_ax is not None:
            np.subtract(new, old_ax, out=ax)
            np.multiply(ax, _constant(scratch, "mu", mu, p), out=ax)
            np.add(ax, old_ax, out=ax)
        else:
            np.copyto(ax, new)
        new_eta = np.array(lr / ((1 + lambd * lr * step) ** alpha), dtype=np.float32)
        new_mu = np.array(1 / max(1, step - t0), dtype=np.float32)
        return delta, {"step": step, "eta": new_eta, "mu": new_mu, "ax": ax}
