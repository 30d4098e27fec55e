"""Activation layers, each calling its `eager.nn.functional` function: `ReLU`, `ReLU6`,
`Sigmoid`, `Tanh`, `GELU`, `SiLU`, `Mish`, `LeakyReLU`, `ELU`, `SELU`, `Softplus`, `Hardtanh`,
`LogSigmoid`, `Softmax`, `LogSoftmax`; printed as PyTorch prints them.

    >>> LeakyReLU(0.2)
    LeakyReLU(negative_slope=0.2)
"""

from __future__ import annotations

import warnings
from typing import Any

from . import functional as F
from .function_layer import FunctionLayer


class InplaceActivation(FunctionLayer, options=("inplace",)):
    """An activation with only PyTorch's ``inplace`` flag (printed only when set): ``forward``
    is ``function(input, inplace)``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(inplace)

    # The most used activations (here, stateless and along a dim, and GELU) write their
    # forward out: FunctionLayer's reads the options by name, a little more work a call.
    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.inplace)


class StatelessActivation(FunctionLayer):
    """An activation with no options: ``forward`` is ``function(input)``."""

    def forward(self, input: Any) -> Any:
        return type(self).function(input)


class DimActivation(FunctionLayer, options=("dim",)):
    """An activation along one ``dim`` (printed ``dim=...``): ``function(input, dim)``."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__(dim)

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.dim)


class AlphaActivation(FunctionLayer, options=("alpha", "inplace")):
    """An activation with an ``alpha`` and an ``inplace`` flag (ELU, CELU):
    ``function(input, alpha, inplace)``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(alpha, inplace)


class ReLU(InplaceActivation, function=F.relu):
    """``max(x, 0)`` elementwise."""


class SiLU(InplaceActivation, function=F.silu):
    """``x * sigmoid(x)`` elementwise."""


class Mish(InplaceActivation, function=F.mish):
    """``x * tanh(softplus(x))`` elementwise."""


class SELU(InplaceActivation, function=F.selu):
    """Scaled ELU with the self-normalizing constants."""


class LeakyReLU(FunctionLayer, function=F.leaky_relu, options=("negative_slope", "inplace")):
    """``x`` for positive ``x``, else ``negative_slope * x``."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__(negative_slope, inplace)


class ELU(AlphaActivation, function=F.elu):
    """``x`` for positive ``x``, else ``alpha * (exp(x) - 1)``."""


class Softplus(FunctionLayer, function=F.softplus, options=("beta", "threshold")):
    """``log(1 + exp(beta x)) / beta``, linear above ``threshold``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__(beta, threshold)


class Hardtanh(FunctionLayer, function=F.hardtanh, options=("min_val", "max_val", "inplace")):
    """``x`` clamped to ``[min_val, max_val]`` (``min_value``/``max_value``: PyTorch's
    deprecated spellings, still accepted)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        super().__init__(min_val, max_val, inplace)


class ReLU6(Hardtanh):
    """``min(max(x, 0), 6)`` elementwise."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LogSigmoid(StatelessActivation, function=F.logsigmoid):
    """``log(sigmoid(x))``, computed without overflow."""


class Sigmoid(StatelessActivation, function=F.sigmoid):
    """``1 / (1 + exp(-x))`` elementwise."""


class Tanh(StatelessActivation, function=F.tanh):
    """``tanh(x)`` elementwise."""


class GELU(FunctionLayer, function=F.gelu, options=("approximate",)):
    """Gaussian error linear unit, exact (``approximate="none"``) or the tanh approximation."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__(approximate)

    def forward(self, input: Any) -> Any:
        return F.gelu(input, approximate=self.approximate)


class Softmax(DimActivation, function=F.softmax):
    """Softmax along ``dim``."""


class LogSoftmax(DimActivation, function=F.log_softmax):
    """Log of the softmax along ``dim``, computed stably."""
