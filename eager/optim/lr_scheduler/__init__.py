"""Learning-rate schedulers with PyTorch's names, arguments, formulas, warnings and state dicts.

A scheduler rewrites ``group["lr"]`` of its optimizer each time ``step()`` is called (once per
epoch, after ``optimizer.step()``; `OneCycleLR` and `CyclicLR` once per batch,
`ReduceLROnPlateau` with the metric); `StepLR`'s docstring shows the loop:

    >>> import eager, eager.optim as optim
    >>> opt = optim.SGD([eager.zeros(1, requires_grad=True)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> opt.step(); sched.step(); sched.get_last_lr()
    [0.5]

Files: `scheduler` (the base protocol), `lambda_lr`, `decay`, `warmup`, `cosine`, `plateau`,
`cyclic`, `one_cycle`, `combine` (SequentialLR, ChainedScheduler).
"""

from .combine import ChainedScheduler, SequentialLR
from .cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from .cyclic import CyclicLR
from .decay import ExponentialLR, MultiStepLR, StepLR
from .lambda_lr import LambdaLR, MultiplicativeLR
from .one_cycle import OneCycleLR
from .plateau import ReduceLROnPlateau
from .scheduler import EPOCH_DEPRECATION_WARNING, LRScheduler
from .warmup import ConstantLR, LinearLR, PolynomialLR

_LRScheduler = LRScheduler  # PyTorch's old name, still importable there

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "PolynomialLR", "LRScheduler", "EPOCH_DEPRECATION_WARNING"]
