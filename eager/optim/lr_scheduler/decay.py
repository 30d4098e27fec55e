"""Schedulers that multiply the rate by a fixed factor: `StepLR`, `MultiStepLR`,
`ExponentialLR`. Each is chainable (it scales the group's current rate) and has PyTorch's
closed form for the deprecated ``step(epoch)``."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from ..optimizer import Optimizer
from .scheduler import ScalingScheduler


class StepLR(ScalingScheduler):
    """``StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)``: multiply the rate by
    ``gamma`` every ``step_size`` epochs.

        >>> import eager, eager.optim as optim
        >>> opt = optim.SGD([eager.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = StepLR(opt, step_size=2, gamma=0.1)
        >>> for epoch in range(4):
        ...     opt.step(); sched.step()    # (training the epoch goes before opt.step)
        >>> sched.get_last_lr()
        [0.010000000000000002]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _step_factor(self) -> float | None:
        """``gamma`` at every multiple of ``step_size``."""
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return None
        return self.gamma

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size)
                for base_lr in self.base_lrs]


class MultiStepLR(ScalingScheduler):
    """``MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1)``: multiply the rate by
    ``gamma`` at each milestone epoch (a milestone listed twice multiplies twice)."""

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _step_factor(self) -> float | None:
        """``gamma ** count`` at a milestone listed ``count`` times."""
        if self.last_epoch not in self.milestones:
            return None
        return self.gamma ** self.milestones[self.last_epoch]

    def _get_closed_form_lr(self) -> list[float]:
        milestones = sorted(Counter(self.milestones).elements())  # (a loaded plain dict too)
        return [base_lr * self.gamma ** bisect_right(milestones, self.last_epoch)
                for base_lr in self.base_lrs]


class ExponentialLR(ScalingScheduler):
    """``ExponentialLR(optimizer, gamma, last_epoch=-1)``: multiply the rate by ``gamma``
    every epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _step_factor(self) -> float | None:
        """``gamma`` at every step but the constructor's."""
        if self._is_initial:
            return None
        return self.gamma

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]
