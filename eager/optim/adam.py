"""`Adam` and `AdamW`: adaptive moment estimation, PyTorch's update (no AMSGrad)::

    g = g + weight_decay * p                 (Adam: L2 penalty in the gradient)
    p = p * (1 - lr * weight_decay)          (AdamW: decoupled decay instead)
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    v_max = max(v_max, v)                    (amsgrad only: v_max replaces v below)
    p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .optimizer import Optimizer, _scratch


def _check(lr: float, betas: tuple[float, float], eps: float, weight_decay: float) -> None:
    if lr < 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")
    if eps < 0.0:
        raise ValueError(f"Invalid epsilon value: {eps}")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
    if weight_decay < 0.0:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``."""

    _decoupled = False

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        _check(lr, betas, eps, weight_decay)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize))

    def _compute(self, p, g, group, state, scratch):
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], \
            group["weight_decay"]
        delta = _scratch(scratch, "delta", p)
        if group["maximize"]:
            g = np.negative(g, out=_scratch(scratch, "grad", p))
        if wd != 0 and not self._decoupled:
            g = np.add(g, np.multiply(p, wd, out=delta), out=_scratch(scratch, "grad", p))
        step = state.get("step", 0.0) + 1.0
        m = _scratch(scratch, "exp_avg", p)
        v = _scratch(scratch, "exp_avg_sq", p)
        old_m, old_v = state.get("exp_avg"), state.get("exp_avg_sq")
        if old_m is None:  # the state starts at zero: m = (1 - beta1) g, v = (1 - beta2) g^2
            np.multiply(g, 1 - beta1, out=m)
            np.multiply(g, g, out=v)
            np.multiply(v, 1 - beta2, out=v)
        else:
            np.subtract(g, old_m, out=m)  # lerp, as PyTorch: m + (1 - beta1) * (g - m)
            np.multiply(m, 1 - beta1, out=m)
            np.add(old_m, m, out=m)
            np.multiply(g, g, out=v)
            np.multiply(v, 1 - beta2, out=v)
            np.add(v, np.multiply(old_v, beta2, out=delta), out=v)
        new_state = {"step": step, "exp_avg": m, "exp_avg_sq": v}
        if group["amsgrad"]:
            v_max = new_state["max_exp_avg_sq"] = _scratch(scratch, "max_exp_avg_sq", p)
            old_max = state.get("max_exp_avg_sq")
            np.maximum(v, 0.0 if old_max is None else old_max, out=v_max)
            v = v_max
        step_size = lr / (1 - beta1 ** step)
        bias_correction2_sqrt = math.sqrt(1 - beta2 ** step)
        np.sqrt(v, out=delta)
        np.divide(delta, bias_correction2_sqrt, out=delta)
        np.add(delta, eps, out=delta)
        np.divide(m, delta, out=delta)
        np.multiply(delta, step_size, out=delta)
        if wd != 0 and self._decoupled:
            # p * (1 - lr wd) - u  ==  p - (lr wd p + u): one subtraction at commit.
            np.add(delta, np.multiply(p, lr * wd, out=_scratch(scratch, "grad", p)), out=delta)
        return delta, new_state


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
    amsgrad=False)``: Adam with weight decay applied to the parameter directly, not through
    the gradient."""

    _decoupled = True

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
