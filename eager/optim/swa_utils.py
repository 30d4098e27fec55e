"""Stochastic weight averaging, as ``torch.optim.swa_utils``: `AveragedModel` keeps a running
average (or, with `get_ema_avg_fn`, an exponential moving average) of a model's parameters,
`SWALR` anneals each group's learning rate to its ``swa_lr``, and `update_bn` recomputes the
BatchNorm statistics of the averaged weights with one pass over the data.

    >>> import eager
    >>> model = eager.nn.Linear(2, 1)
    >>> swa_model = AveragedModel(model)
    >>> swa_model.update_parameters(model)
    >>> int(swa_model.n_averaged)
    1
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from typing import Any

from .. import creation
from ..autograd import no_grad
from ..nn.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from ..nn.module import Module
from .lr_scheduler.scheduler import LRScheduler
from .optimizer import Optimizer

AvgFn = Callable[[Any, Any, Any], Any]


def get_swa_avg_fn() -> AvgFn:
    """The running mean: ``averaged + (current - averaged) / (n + 1)``."""
    def swa_update(averaged_param: Any, current_param: Any, num_averaged: Any) -> Any:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> AvgFn:
    """The exponential moving average: ``decay * averaged + (1 - decay) * current``."""
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in "
                         "[0,1] range.")

    def ema_update(ema_param: Any, current_param: Any, num_averaged: Any) -> Any:
        return decay * ema_param + (1 - decay) * current_param
    return ema_update


class AveragedModel(Module):
    """``AveragedModel(model, device=None, avg_fn=None, multi_avg_fn=None,
    use_buffers=False)``: a deep copy of ``model`` (as ``.module``) whose parameters (and,
    with ``use_buffers``, buffers) `update_parameters` averages; ``n_averaged`` counts the
    updates. ``avg_fn(averaged, current, n)`` defaults to the running mean."""

    def __init__(self, model: Module, device: Any = None, avg_fn: AvgFn | None = None,
                 multi_avg_fn: Callable | None = None, use_buffers: bool = False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", creation.tensor(0))
        self.avg_fn, self.multi_avg_fn, self.use_buffers = avg_fn, multi_avg_fn, use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def _tensors(self, model: Module) -> list:
        if self.use_buffers:
            return [*model.parameters(), *model.buffers()]
        return list(model.parameters())

    @no_grad()
    def update_parameters(self, model: Module) -> None:
        """Fold ``model``'s current weights into the average (the first call copies them)."""
        ours = [t.detach() for t in self._tensors(self.module)]
        theirs = [t.detach() for t in self._tensors(model)]
        if int(self.n_averaged) == 0:
            for a, b in zip(ours, theirs, strict=False):
                a.copy_(b)
        elif self.multi_avg_fn is not None:
            self.multi_avg_fn(ours, theirs, self.n_averaged)
        else:
            avg_fn = self.avg_fn or get_swa_avg_fn()
            for a, b in zip(ours, theirs, strict=False):
                # (to a's dtype: an integer buffer such as num_batches_tracked truncates, as
                # PyTorch's copy_ does)
                a.copy_(avg_fn(a, b, self.n_averaged).to(a.dtype))
        if not self.use_buffers:
            # The buffers follow the model's (update_bn recomputes BatchNorm's for the average).
            for a, b in zip(self.module.buffers(), model.buffers(), strict=False):
                a.detach().copy_(b.detach())
        self.n_averaged += 1


@no_grad()
def update_bn(loader: Iterable, model: Module, device: Any = None) -> None:
    """Recompute every BatchNorm's running statistics as the plain average over one pass of
    ``loader`` (its items, or their first element, are the inputs)."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, BatchNorm1d | BatchNorm2d | BatchNorm3d):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    for batch in loader:
        if isinstance(batch, list | tuple):
            batch = batch[0]
        if device is not None:
            batch = batch.to(device)
        model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """``SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos', last_epoch=-1)``:
    move every group's rate from where it is to its ``swa_lr`` over ``anneal_epochs`` steps,
    along a half cosine or a line, then hold it."""

    def __init__(self, optimizer: Optimizer, swa_lr: float | list, anneal_epochs: int = 10,
                 anneal_strategy: str = "cos", last_epoch: int = -1) -> None:
        swa_lrs = list(swa_lr) if isinstance(swa_lr, list | tuple) else \
            [swa_lr] * len(optimizer.param_groups)
        if len(swa_lrs) != len(optimizer.param_groups):
            raise ValueError(f"swa_lr must have the same length as optimizer.param_groups: "
                             f"swa_lr has {len(swa_lrs)}, optimizer.param_groups has "
                             f"{len(optimizer.param_groups)}")
        for rate, group in zip(swa_lrs, optimizer.param_groups, strict=True):
            group["swa_lr"] = rate
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self.anneal_func = self._cosine if anneal_strategy == "cos" else self._linear
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got "
                             f"{anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear(t: float) -> float:
        return t

    @staticmethod
    def _cosine(t: float) -> float:
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _start_rate(lr: float, swa_lr: float, alpha: float) -> float:
        """The rate the annealing started from, given where it is at fraction ``alpha``."""
        return swa_lr if alpha == 1 else (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list[float]:
        """The next rate of each group: one more step along the anneal."""
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        span = max(1, self.anneal_epochs)
        prev_alpha = self.anneal_func(max(0.0, min(1.0, (step - 1) / span)))
        alpha = self.anneal_func(max(0.0, min(1.0, step / span)))
        groups = self.optimizer.param_groups
        return [group["swa_lr"] * alpha
                + self._start_rate(group["lr"], group["swa_lr"], prev_alpha) * (1 - alpha)
                for group in groups]
