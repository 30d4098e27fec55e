"""`SparseAdam`: Adam for sparse (COO) gradients, such as ``Embedding(sparse=True)``'s. Only the
rows a gradient touches are updated, their moments too: the moments of the other rows do not
decay (the "lazy" Adam of torch's ``SparseAdam``). Per parameter, with ``g`` the coalesced
gradient's rows and ``m``, ``v`` the moments at those rows::

    m = m + (g - m) * (1 - beta1);   v = v + (g * g - v) * (1 - beta2)
    p = p - lr * sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * m / (sqrt(v) + eps)

    >>> import eager
    >>> emb = eager.nn.Embedding(4, 2, sparse=True)
    >>> opt = SparseAdam(emb.parameters(), lr=0.1)
    >>> before = emb.weight.detach().clone()
    >>> emb(eager.tensor([1])).sum().backward(); opt.step()
    >>> (emb.weight != before).any(dim=1).tolist()
    [False, True, False, False]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd.grad_mode import enable_grad
from ..tensor_base import wrap_array
from .optimizer import Optimizer


class SparseAdam(Optimizer):
    """``SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False)``; every
    gradient must be sparse (a dense one is refused, as torch's)."""

    _array_state = True

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 maximize: bool = False) -> None:
        if not lr > 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps > 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i in (0, 1):
            if not 0.0 <= betas[i] < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize})
        sparse, complex_ = [], []
        for index, group in enumerate(self.param_groups):
            for d_index, p in enumerate(group["params"]):
                if p.is_sparse:
                    sparse.append([index, d_index])
                if p.is_complex():
                    complex_.append([index, d_index])
        if sparse:
            raise ValueError(f"Sparse params at indices {sparse}: SparseAdam requires dense "
                             "parameter tensors")
        if complex_:
            raise ValueError(f"Complex params at indices {complex_}: SparseAdam does not "
                             "support complex parameters")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the rows each parameter's sparse gradient touches; returns ``closure()``."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if getattr(type(grad), "is_sparse", None) is not True:
                    raise RuntimeError("SparseAdam does not support dense gradients, please "
                                       "consider Adam instead")
                self._update(p, grad.coalesce(), group, beta1, beta2)
        return loss

    def _update(self, p: Any, grad: Any, group: dict, beta1: float, beta2: float) -> None:
        arr = p._data
        state = self.state.get(p)
        if not state:
            # (an int step, as torch's SparseAdam keeps it; the moments are Tensors)
            state = self.state[p] = {"step": 0, "exp_avg": wrap_array(np.zeros_like(arr)),
                                     "exp_avg_sq": wrap_array(np.zeros_like(arr))}
        state["step"] += 1
        rows = grad._indices()._data
        g = grad._values()._data.astype(arr.dtype, copy=False)
        if group["maximize"]:
            g = -g
        if g.size == 0:  # nothing touched: the step still counts, as torch's
            return
        where = tuple(rows)
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        one = arr.dtype.type
        old_m, old_v = exp_avg[where], exp_avg_sq[where]
        # In torch's order of float32 operations: the updates, then the new moments from them.
        m_update = (g - old_m) * one(1 - beta1)
        v_update = (g * g - old_v) * one(1 - beta2)
        m = m_update + old_m
        v = v_update + old_v
        exp_avg[where], exp_avg_sq[where] = m, v
        state["exp_avg"]._bump_version()
        state["exp_avg_sq"]._bump_version()
        t = state["step"]
        step_size = group["lr"] * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        denom = np.sqrt(v) + one(group["eps"])
        arr[where] += one(-step_size) * (m / denom)
        p._bump_version()


__all__ = ["SparseAdam"]
