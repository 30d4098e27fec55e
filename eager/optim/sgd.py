"""`SGD`: stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

The update is PyTorch's (``torch.optim.SGD``, single-tensor path)::

    g = -g                                   (maximize only)
    d = g + weight_decay * p
    buf = d                                  (first step)
    buf = momentum * buf + (1 - dampening) * d
    d = d + momentum * buf   if nesterov  else  buf
    p = p - lr * d

State: ``momentum_buffer`` when ``momentum != 0``, nothing otherwise (as PyTorch).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer
from .checks import check_flags, check_lr
from .optimizer import Optimizer


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
    maximize=False, foreach=None, differentiable=False, fused=None)``.

        >>> import eager
        >>> w = eager.tensor([1.0, 2.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> w.grad = eager.tensor([1.0, 1.0]); opt.step(); opt.step()
        >>> w
        tensor([0.7100, 1.7100], requires_grad=True)
    """

    _array_state = True
    _group_fallbacks = {"nesterov": False, "maximize": False, "foreach": None,
                        "differentiable": False, "fused": False}

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        check_flags(foreach, fused, differentiable)
        super().__init__(params, {
            "lr": lr, "momentum": momentum, "dampening": dampening,
            "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
            "foreach": foreach, "differentiable": differentiable, "fused": fused})

    def _densified(self, grad, group):
        # torch adds a sparse gradient into the parameter (and the momentum buffer): the same
        # numbers as the dense update on its dense form; weight decay would add dense to sparse.
        if group["weight_decay"] != 0:
            raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) "
                               "instead.")
        return grad.to_dense()

    def _compute(self, p, g, group, state, scratch):
        momentum, wd = group["momentum"], group["weight_decay"]
        delta = scratch_buffer(scratch, "delta", p)
        d = g
        if group["maximize"]:
            d = np.negative(g, out=delta)
        if wd != 0:
            decay = np.multiply(p, _constant(scratch, "wd", wd, p),
                                out=scratch_buffer(scratch, "tmp", p))
            d = np.add(d, decay, out=delta)
        new_state = {}
        if momentum != 0:
            mu = _constant(scratch, "momentum", momentum, p)
            buf = held(state, "momentum_buffer")
            new_buf = scratch_buffer(scratch, "momentum_buffer", p)
            if buf is None:
                np.copyto(new_buf, d)
            else:
                np.multiply(buf, mu, out=new_buf)
                dampening = group["dampening"]
                dampened = d if dampening == 0 else np.multiply(
                    d, _constant(scratch, "1-dampening", 1 - dampening, p),
                    out=scratch_buffer(scratch, "tmp", p))
                np.add(new_buf, dampened, out=new_buf)
            new_state["momentum_buffer"] = new_buf
            if group["nesterov"]:
                d = np.add(d, np.multiply(new_buf, mu, out=scratch_buffer(scratch, "tmp", p)),
                           out=delta)
            else:
                d = new_buf
        return np.multiply(d, _constant(scratch, "lr", group["lr"], p), out=delta), new_state
