"""`LRScheduler`: the base of the epoch-driven schedulers, with PyTorch's protocol.

Constructing a scheduler records ``initial_lr`` in every group (``base_lrs``) and takes a first
step (``last_epoch`` becomes 0). Each ``step()`` then advances ``last_epoch`` and writes the
rates that ``get_lr()`` computes into the groups. Most ``get_lr`` are *chainable*: they scale
the group's current rate, so two schedulers on one optimizer compose. ``step(epoch)`` (old
style) uses the closed form ``_get_closed_form_lr`` where the scheduler has one, and warns.

The constructor wraps ``optimizer.step`` (per instance) to note that it ran, so that a first
``scheduler.step()`` before any ``optimizer.step()`` gives PyTorch's warning.
"""

from __future__ import annotations

import warnings
import weakref
from functools import wraps
from typing import Any

from ...tensor import Tensor
from ..optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


def format_param(name: str, optimizer: Optimizer, param: Any) -> list[Any]:
    """One value per group: ``param`` repeated, or a list/tuple checked for length."""
    if isinstance(param, list | tuple):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                             f"{name} has {len(param)} values, param_groups has "
                             f"{len(optimizer.param_groups)}.")
        values = list(param)
    else:
        values = [param] * len(optimizer.param_groups)
    return [_copy(value) for value in values]


def _copy(value: Any) -> Any:
    # A Tensor learning rate is never shared between a group and a scheduler's lists.
    return value.clone() if isinstance(value, Tensor) else value


def group_values(optimizer: Optimizer, key: str) -> list[Any]:
    """``group[key]`` of every group (Tensors copied)."""
    return [_copy(group[key]) for group in optimizer.param_groups]


def scaled_lrs(optimizer: Optimizer, factor: Any) -> list[Any]:
    """Every group's current ``lr`` times ``factor``: the chainable step of the multiplicative
    schedulers (ConstantLR, LinearLR, PolynomialLR, StepLR, ExponentialLR ...)."""
    return [group["lr"] * factor for group in optimizer.param_groups]


def set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    """``group[key] = value``; a Tensor learning rate is filled in place, as in PyTorch."""
    if isinstance(group[key], Tensor):
        group[key].fill_(value.item() if isinstance(value, Tensor) else value)
    else:
        group[key] = value


def warn_get_lr_called_within_step(scheduler: LRScheduler) -> None:
    """PyTorch's warning for ``get_lr()`` called outside ``step()`` (read ``get_last_lr()``)."""
    if not scheduler._get_lr_called_within_step:
        warnings.warn("To get the last learning rate computed by the scheduler, please use "
                      "`get_last_lr()`.", UserWarning, stacklevel=2)


def _track_step_called(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` so that it sets ``optimizer._opt_called`` (once per optimizer).

    A weak reference: the wrapper, stored on the optimizer, must not keep it alive."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    opt_ref = weakref.ref(optimizer)
    func = optimizer.step.__func__

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opt = opt_ref()
        opt._opt_called = True
        return func(opt, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = wrapper  # type: ignore[method-assign]


class LRScheduler:
    """Base class: ``LRScheduler(optimizer, last_epoch=-1)``; subclasses define ``get_lr``.

    ``last_epoch`` other than -1 resumes a schedule: every group must then hold its
    ``initial_lr`` already (from the optimizer's loaded state dict)."""

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", _copy(group["lr"]))
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        "resuming scheduler with last_epoch >= 0.\n"
                        "This typically happens when:\n"
                        "1. You're trying to resume training from a checkpoint but haven't "
                        "properly loaded the optimizer state\n"
                        "2. You're using last_epoch >= 0 for a fresh training run (not "
                        "recommended)")
        self.base_lrs: list[float] = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _track_step_called(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """Reset the step count and take the constructor's step."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer (PyTorch's keys, so its files load here)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` returned."""
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list[float]:
        """The learning rates the latest ``step`` set, one per group."""
        return self._last_lr

    def get_lr(self) -> list[float]:
        """The rates for the current ``last_epoch`` (called by ``step``; read `get_last_lr`)."""
        raise NotImplementedError

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, deprecated) and set the groups' rates."""
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(
                    "Seems like `optimizer.step()` has been overridden after learning rate "
                    "scheduler initialization. Please, make sure to call `optimizer.step()` "
                    "before `lr_scheduler.step()`. See more details at "
                    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
                    UserWarning, stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(
                    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In "
                    "PyTorch 1.1.0 and later, you should call them in the opposite order: "
                    "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
                    "result in PyTorch skipping the first value of the learning rate schedule. "
                    "See more details at "
                    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
                    UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            set_group_value(group, "lr", lr)
        self._last_lr = group_values(self.optimizer, "lr")


class ScalingScheduler(LRScheduler):
    """A chainable scheduler that multiplies every group's current rate by one factor a step
    (`StepLR`, `ExponentialLR`, `ConstantLR`, `LinearLR` ...): a subclass says which factor
    in ``_step_factor``."""

    def get_lr(self) -> list[float]:
        """The current rates times this epoch's factor, or unchanged where there is none."""
        warn_get_lr_called_within_step(self)
        factor = self._step_factor()
        if factor is None:
            return group_values(self.optimizer, "lr")
        return scaled_lrs(self.optimizer, factor)

    def _step_factor(self) -> float | None:
        """The factor for the current ``last_epoch``, or None to keep the rates."""
        raise NotImplementedError
