"""`Rprop`: resilient backpropagation, PyTorch's update. Each weight has its own step size,
multiplied by ``etas[1]`` while its gradient keeps its sign and by ``etas[0]`` when the sign
flips (then that step is skipped and the gradient forgotten), kept within ``step_sizes``;
the weight moves by its step size against the gradient's sign.

State: ``step``, ``prev`` (the last gradient used, zeros at first) and ``step_size`` (``lr``
at first).

Two steps with a gradient of the same sign: the weight moves by ``lr``, then by ``lr`` times
``etas[1]`` (1.2):

    >>> import eager
    >>> w = eager.nn.Parameter(eager.tensor([1.0, -1.0]))
    >>> opt = Rprop([w], lr=0.1)
    >>> for _ in range(2):
    ...     w.grad = eager.tensor([0.5, -0.5])
    ...     opt.step()
    >>> [round(v, 6) for v in w.tolist()]
    [0.78, -0.78]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .buffers import _constant, held, scratch_buffer, step_count
from .checks import check_flags, check_lr
from .optimizer import Optimizer


class Rprop(Optimizer):
    """``Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
    foreach=None, maximize=False, differentiable=False)``."""

    _array_state = True
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}

    def __init__(self, params: Iterable, lr: float = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        check_lr(lr)
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        check_flags(foreach, None, differentiable)
        super().__init__(params, {
            "lr": lr, "etas": tuple(etas), "step_sizes": tuple(step_sizes),
            "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            "capturable": capturable})

    def _compute(self, p, g, group, state, scratch):
        (eta_minus, eta_plus), (low, high) = group["etas"], group["step_sizes"]
        if group["maximize"]:
            g = np.negative(g, out=scratch_buffer(scratch, "grad", p))
        old_prev, old_size = held(state, "prev"), held(state, "step_size")
        agreement = np.sign(g * old_prev) if old_prev is not None else np.zeros_like(g)
        factor = scratch_buffer(scratch, "factor", p)
        factor.fill(1.0)
        factor[agreement > 0] = eta_plus
        factor[agreement < 0] = eta_minus
        size = scratch_buffer(scratch, "step_size", p)
        if old_size is None:
            size.fill(group["lr"])
        else:
            np.copyto(size, old_size)
        np.multiply(size, factor, out=size)
        np.clip(size, _constant(scratch, "low", low, p), _constant(scratch, "high", high, p),
                out=size)
        prev = scratch_buffer(scratch, "prev", p)
        np.copyto(prev, g)
        prev[factor == np.asarray(eta_minus, dtype=p.dtype)] = 0  # a flipped sign: no step
        delta = np.sign(prev, out=scratch_buffer(scratch, "delta", p))
        np.multiply(delta, size, out=delta)
        return delta, {"step": step_count(state) + 1.0, "prev": prev, "step_size": size}
