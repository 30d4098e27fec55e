"""`Adamax`, `NAdam` and `RAdam`: Adam's relatives, with PyTorch's updates, defaults, state and
printing (see each class). Like every eager optimizer they compute an update ``delta`` into
reused buffers and `Optimizer.step` subtracts it; decoupled weight decay
``p * (1 - lr * wd) - u`` is applied as ``p - (lr * wd * p + u)``.

    >>> import eager
    >>> w = eager.nn.Parameter(eager.tensor([1.0, -1.0]))
    >>> opt = NAdam([w], lr=0.1)
    >>> w.grad = eager.tensor([0.5, -0.5])
    >>> opt.step()
    >>> [round(v, 4) for v in w.tolist()]
    [0.8944, -0.8944]
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_adam_family, check_flags
from .optimizer import Optimizer
from .update_steps import decoupled_decay, first_moment, prepare_grad, second_moment

_FLAGS = {"foreach": None, "maximize": False, "capturable": False, "differentiable": False}


class Adamax(Optimizer):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None,
    *, maximize=False, differentiable=False, capturable=False)``: Adam with the infinity
    norm, ``u = max(beta2 u, |g| + eps)``, ``p = p - lr / (1 - beta1**t) * m / u``.
    State: ``step``, ``exp_avg``, ``exp_inf``."""

    _array_state = True
    _group_fallbacks = dict(_FLAGS)

    def __init__(self, params: Iterable, lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "foreach": foreach, "maximize": maximize, "capturable": capturable,
            "differentiable": differentiable})

    def _compute(self, p, g, group, state, scratch):
        beta1, beta2 = group["betas"]
        g = prepare_grad(p, g, group, scratch, decoupled=False)
        step = step_count(state) + 1.0
        m = first_moment(p, g, state, scratch, beta1)
        u = scratch_buffer(scratch, "exp_inf", p)
        np.abs(g, out=u)
        np.add(u, _constant(scratch, "eps", group["eps"], p), out=u)
        old = held(state, "exp_inf")
        if old is not None:
            np.maximum(np.multiply(old, _constant(scratch, "beta2", beta2, p),
                                   out=scratch_buffer(scratch, "tmp", p)), u, out=u)
        delta = np.divide(m, u, out=scratch_buffer(scratch, "delta", p))
        clr = group["lr"] / (1 - beta1 ** step)
        np.multiply(delta, _constant(scratch, "clr", clr, p), out=delta)
        return delta, {"step": step, "exp_avg": m, "exp_inf": u}


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None, maximize=False,
    capturable=False, differentiable=False)``: Adam with Nesterov momentum and the momentum
    schedule ``mu_t = beta1 (1 - 0.5 * 0.96 ** (t * momentum_decay))``. State: ``step``,
    ``mu_product`` (a float32 scalar, as PyTorch keeps it), ``exp_avg``, ``exp_avg_sq``."""

    _array_state = True
    _group_fallbacks = {**_FLAGS, "decoupled_weight_decay": False}

    def __init__(self, params: Iterable, lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        if not momentum_decay >= 0.0:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize, "foreach": foreach, "capturable": capturable,
            "differentiable": differentiable})

    def _compute(self, p, g, group, state, scratch):
        lr, (beta1, beta2), decay = group["lr"], group["betas"], group["momentum_decay"]
        g = prepare_grad(p, g, group, scratch, decoupled=group["decoupled_weight_decay"])
        step = step_count(state) + 1.0
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        # PyTorch multiplies its float32 mu_product Tensor by the (double) mu: float32 result.
        old_product = held(state, "mu_product")
        mu_product = np.array(np.float32(1.0 if old_product is None else old_product) * mu,
                              dtype=np.float32)
        m = first_moment(p, g, state, scratch, beta1)
        v = second_moment(p, g, state, scratch, beta2)
        denom = scratch_buffer(scratch, "denom", p)
        np.divide(v, _constant(scratch, "bc2", 1 - beta2 ** step, p), out=denom)
        np.sqrt(denom, out=denom)
        np.add(denom, _constant(scratch, "eps", group["eps"], p), out=denom)
        product = float(mu_product)
        grad_coef = lr * (1.0 - mu) / (1.0 - product)
        avg_coef = lr * mu_next / (1.0 - product * mu_next)
        delta = np.divide(g, denom, out=scratch_buffer(scratch, "delta", p))
        np.multiply(delta, _constant(scratch, "grad_coef", grad_coef, p), out=delta)
        tmp = np.divide(m, denom, out=scratch_buffer(scratch, "tmp", p))
        np.multiply(tmp, _constant(scratch, "avg_coef", avg_coef, p), out=tmp)
        np.add(delta, tmp, out=delta)
        decoupled_decay(p, delta, group, scratch)
        return delta, {"step": step, "mu_product": mu_product, "exp_avg": m, "exp_avg_sq": v}


class RAdam(Optimizer):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
    differentiable=False)``: Adam whose adaptive step is rectified by the variance of its
    estimate, and plain momentum while that estimate is too short (rho_t <= 5). State:
    ``step``, ``exp_avg``, ``exp_avg_sq``."""

    _array_state = True
    _group_fallbacks = {**_FLAGS, "decoupled_weight_decay": False}

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "maximize": maximize, "foreach": foreach, "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable})

    def _compute(self, p, g, group, state, scratch):
        lr, (beta1, beta2) = group["lr"], group["betas"]
        g = prepare_grad(p, g, group, scratch, decoupled=group["decoupled_weight_decay"])
        step = step_count(state) + 1.0
        m = first_moment(p, g, state, scratch, beta1)
        v = second_moment(p, g, state, scratch, beta2)
        bias_correction1, bias_correction2 = 1 - beta1 ** step, 1 - beta2 ** step
        delta = np.divide(m, _constant(scratch, "bc1", bias_correction1, p),
                          out=scratch_buffer(scratch, "delta", p))
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        np.multiply(delta, _constant(scratch, "lr", lr, p), out=delta)
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                             / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            adaptive = scratch_buffer(scratch, "tmp", p)
            np.sqrt(v, out=adaptive)
            np.add(adaptive, _constant(scratch, "eps", group["eps"], p), out=adaptive)
            np.divide(_constant(scratch, "sqrt_bc2", math.sqrt(bias_correction2), p), adaptive,
                      out=adaptive)
            np.multiply(delta, adaptive, out=delta)
            np.multiply(delta, _constant(scratch, "rect", rect, p), out=delta)
        decoupled_decay(p, delta, group, scratch)
        return delta, {"step": step, "exp_avg": m, "exp_avg_sq": v}
