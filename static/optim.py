"""Optimizers for static graphs: `minimize(loss)` returns a train op.

The train op is a ``group`` node over ``assign`` nodes, one per variable and per slot
(momentum buffers, Adam moments) plus a step counter; running it in a Session updates the
variables in place. The update math is PyTorch's (``torch.optim.SGD`` / ``Adam``, with
``weight_decay`` added to the gradient), so eager and static training agree step for step.

Update nodes are tagged ``meta["role"] = "update"``; slots and the step counter are variables
with ``trainable=False``, named after their variable: ``w.momentum_buffer``, ``w.exp_avg``.

    train = static.optim.Adam(lr=1e-3).minimize(loss)
    for xb, yb in batches:
        sess.run(train, {x: xb, y: yb})
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

import shared_ops as ops

from .autodiff import gradients
from .builder import assign, group, variable
from .graph import Node


class Optimizer:
    """Base: builds gradients, then one update per (gradient, variable) pair."""

    def minimize(self, loss: Node, var_list: list[Node] | None = None) -> Node:
        """Gradients of ``loss`` for ``var_list`` (default: every trainable variable) and the
        update nodes; returns the train op (a ``group``)."""
        graph = loss.graph
        if var_list is None:
            var_list = graph.variables(trainable=True)
        if not var_list:
            raise ValueError("minimize: the graph has no trainable variables to optimize")
        grads = gradients(loss, var_list)
        if all(g is None for g in grads):
            names = ", ".join(f"%{v.name}" for v in var_list)
            raise ValueError(f"minimize: %{loss.name} does not depend on any of {names}")
        return self.apply_gradients(zip(grads, var_list, strict=True))

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Node | None, Node]]) -> Node:
        """Update nodes for each pair (pairs with a ``None`` gradient are skipped)."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        graph = pairs[0][1].graph
        with graph.meta_scope(role="update"):
            assigns = self._prepare(graph, [v for _, v in pairs])
            for g, v in pairs:
                assigns.extend(self._update(g, v))
            return group(assigns, name="train")

    def _prepare(self, graph, var_list: list[Node]) -> list[Node]:
        """Shared state before the per-variable updates (e.g. a step counter)."""
        return []

    def _update(self, g: Node, v: Node) -> list[Node]:
        raise NotImplementedError

    @staticmethod
    def _slot(v: Node, name: str) -> Node:
        with v.graph.as_default():
            return variable(np.zeros_like(v.value), name=f"{v.name}.{name}", trainable=False)


class SGD(Optimizer):
    """``torch.optim.SGD``: momentum (with zero-initialized buffer, i.e. first step buf = g),
    Nesterov, and L2 weight decay added to the gradient."""

    def __init__(self, lr: float, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0):
        if nesterov and momentum <= 0:
            raise ValueError("SGD: Nesterov momentum needs momentum > 0")
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        self.weight_decay = weight_decay

    def _update(self, g: Node, v: Node) -> list[Node]:
        out = []
        if self.weight_decay:
            g = ops.add(g, ops.mul(v, self.weight_decay))
        if self.momentum:
            buf = self._slot(v, "momentum_buffer")
            new_buf = ops.add(ops.mul(buf, self.momentum), g)
            out.append(assign(buf, new_buf))
            g = ops.add(g, ops.mul(new_buf, self.momentum)) if self.nesterov else new_buf
        out.append(assign(v, ops.sub(v, ops.mul(g, self.lr))))
        return out


class Adam(Optimizer):
    """``torch.optim.Adam`` (L2 ``weight_decay`` added to the gradient, not AdamW), with
    bias correction from a shared step counter variable."""

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0):
        self.lr, self.betas, self.eps, self.weight_decay = lr, tuple(betas), eps, weight_decay

    def _prepare(self, graph, var_list: list[Node]) -> list[Node]:
        with graph.as_default():
            step = variable(np.zeros((), np.int64), name="adam.step", trainable=False)
        new_step = ops.add(step, 1)
        # Bias corrections in float64, as PyTorch computes them in Python floats.
        t = ops.cast(new_step, dtype=np.dtype(np.float64))
        b1, b2 = self.betas
        self._bc1 = ops.sub(1.0, ops.pow(b1, t))
        self._bc2_sqrt = ops.pow(ops.sub(1.0, ops.pow(b2, t)), 0.5)
        return [assign(step, new_step)]

    def _update(self, g: Node, v: Node) -> list[Node]:
        b1, b2 = self.betas
        if self.weight_decay:
            g = ops.add(g, ops.mul(v, self.weight_decay))
        m, s = self._slot(v, "exp_avg"), self._slot(v, "exp_avg_sq")
        new_m = ops.add(ops.mul(m, b1), ops.mul(g, 1 - b1))
        new_s = ops.add(ops.mul(s, b2), ops.mul(ops.mul(g, g), 1 - b2))
        bc1 = ops.cast(self._bc1, dtype=v.dtype)
        bc2_sqrt = ops.cast(self._bc2_sqrt, dtype=v.dtype)
        denom = ops.add(ops.div(ops.OPS["sqrt"](new_s), bc2_sqrt), self.eps)
        step_size = ops.div(self.lr, bc1)
        new_v = ops.sub(v, ops.mul(step_size, ops.div(new_m, denom)))
        return [assign(m, new_m), assign(s, new_s), assign(v, new_v)]
