"""`sgd_step`: the training step the benchmarks time for a PyTorch-like library, written once
(`user_models.py`, `bench_eager_training.py` and `static_peers.py` build theirs with it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def sgd_step(lib: Any, model: Any, loss_of: Callable[[], Any], lr: float,
             clip: float | None = None) -> Callable[[], None]:
    """A no-argument step: zero the gradients, ``loss_of()``, backward, clip the gradient norm
    to ``clip`` when given, and an SGD update with ``lr``; ``lib`` is eager or torch.

    >>> import eager
    >>> model = eager.nn.Linear(2, 1)
    >>> step = sgd_step(eager, model, lambda: model(eager.ones(1, 2)).sum(), lr=0.1)
    >>> step()
    """
    opt = lib.optim.SGD(model.parameters(), lr=lr)

    def step() -> None:
        opt.zero_grad()
        loss = loss_of()
        loss.backward()
        if clip is not None:
            lib.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()

    return step
