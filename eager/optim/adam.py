"""`Adam` and `AdamW`: adaptive moment estimation, PyTorch's update::

    g = -g                                   (maximize only)
    g = g + weight_decay * p                 (Adam: L2 penalty in the gradient)
    p = p * (1 - lr * weight_decay)          (AdamW, or decoupled_weight_decay: instead)
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    v_max = max(v_max, v)                    (amsgrad only: v_max replaces v below)
    p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

State: ``step``, ``exp_avg``, ``exp_avg_sq`` and, with amsgrad, ``max_exp_avg_sq``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..tensor import Tensor
from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_adam_family, check_flags
from .optimizer import Optimizer
from .update_steps import decoupled_decay, first_moment, prepare_grad, second_moment


def _check(lr: float, betas: tuple[float, float], eps: float, weight_decay: float) -> None:
    check_adam_family(lr, betas, eps, weight_decay)
    # PyTorch's rule, which refuses ``betas=(0, 0.99)`` (ints); Tensor betas are not supported.
    if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
        raise ValueError("betas must be either both floats or both Tensors")


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
    *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
    decoupled_weight_decay=False)``."""

    _array_state = True
    _group_fallbacks = {"amsgrad": False, "maximize": False, "foreach": None,
                        "capturable": False, "differentiable": False,
                        "decoupled_weight_decay": False, "fused": None}

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        _check(lr, betas, eps, weight_decay)
        check_flags(foreach, fused, differentiable)
        super().__init__(params, {
            "lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
            "capturable": capturable, "differentiable": differentiable, "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay})

    def _densified(self, grad, group):
        raise RuntimeError("Adam does not support sparse gradients, please consider SparseAdam "
                           "instead")  # (AdamW's message too, as torch's)

    def _compute(self, p, g, group, state, scratch):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        delta = scratch_buffer(scratch, "delta", p)
        # "delta" is free until the step is formed: the L2 decay and beta2 v are made in it.
        g = prepare_grad(p, g, group, scratch, group["decoupled_weight_decay"],
                         decay_key="delta")
        step = step_count(state) + 1.0
        m = first_moment(p, g, state, scratch, beta1)
        v = second_moment(p, g, state, scratch, beta2, tmp_key="delta")
        new_state = {"step": step, "exp_avg": m, "exp_avg_sq": v}
        if group["amsgrad"]:
            v_max = new_state["max_exp_avg_sq"] = scratch_buffer(scratch, "max_exp_avg_sq", p)
            old_max = held(state, "max_exp_avg_sq")
            np.maximum(v, 0.0 if old_max is None else old_max, out=v_max)
            v = v_max
        # New values every step (the cache misses): 0-d arrays all the same (`_constant`).
        step_size = _constant(scratch, "step_size", lr / (1 - beta1 ** step), p)
        bias_correction2_sqrt = _constant(scratch, "bc2", math.sqrt(1 - beta2 ** step), p)
        np.sqrt(v, out=delta)
        np.divide(delta, bias_correction2_sqrt, out=delta)
        np.add(delta, _constant(scratch, "eps", eps, p), out=delta)
        np.divide(m, delta, out=delta)
        np.multiply(delta, step_size, out=delta)
        decoupled_decay(p, delta, group, scratch, decay_key="grad")
        return delta, new_state


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
    amsgrad=False, *, maximize=False, foreach=None, capturable=False, differentiable=False,
    fused=None)``: Adam with the weight decay applied to the parameter directly, not through
    the gradient (``decoupled_weight_decay=True``, as PyTorch)."""

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
