"""More activation layers, each calling its function of `functional_activation_more`:
`PReLU` (a learned slope), `Softmin`, `Softsign`, `Hardswish`, `Hardsigmoid`, `GLU`,
`Threshold`, `CELU`, `Softshrink`, `Hardshrink`, `Tanhshrink`, `Softmax2d`; printed as
PyTorch prints them.

    >>> PReLU(3)
    PReLU(num_parameters=3)
"""

from __future__ import annotations

from typing import Any

from . import functional_activation_more as F2
from ._factory import empty_parameter, param_dtype
from .activation import AlphaActivation, DimActivation, InplaceActivation, StatelessActivation
from .function_layer import FunctionLayer
from .functional_activation import softmax
from .init import constant_
from .module import Module


class PReLU(Module):
    """``PReLU(num_parameters=1, init=0.25, device=None, dtype=None)``: ``x`` where positive,
    else a learned slope times ``x`` (one slope, or one per channel of dim 1)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = empty_parameter((num_parameters,), param_dtype(dtype, device))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        constant_(self.weight, self.init)

    def forward(self, input: Any) -> Any:
        return F2.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Softsign(StatelessActivation, function=F2.softsign):
    """``x / (1 + |x|)``."""


class Tanhshrink(StatelessActivation, function=F2.tanhshrink):
    """``x - tanh(x)``."""


class _InplaceFlag(InplaceActivation):
    """An activation whose only option, ``inplace``, PyTorch does not print."""

    def extra_repr(self) -> str:
        return ""


class Hardswish(_InplaceFlag, function=F2.hardswish):
    """``x * relu6(x + 3) / 6``."""


class Hardsigmoid(_InplaceFlag, function=F2.hardsigmoid):
    """``relu6(x + 3) / 6``."""


class Softmin(DimActivation, function=F2.softmin):
    """``Softmin(dim=None)``: ``softmax(-x)`` along ``dim``."""


class Softmax2d(Module):
    """Softmax over the channels of (N, C, H, W) or (C, H, W) at each position."""

    def forward(self, input: Any) -> Any:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D "
                             "instead")
        return softmax(input, -3)


class GLU(DimActivation, function=F2.glu):
    """``GLU(dim=-1)``: the first half of ``dim`` gated by the sigmoid of the second."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__(dim)


class Threshold(FunctionLayer, function=F2.threshold, options=("threshold", "value", "inplace")):
    """``Threshold(threshold, value, inplace=False)``: ``x`` above ``threshold``, else
    ``value``."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__(threshold, value, inplace)


class CELU(AlphaActivation, function=F2.celu):
    """``CELU(alpha=1.0, inplace=False)``: ``x`` above 0, else ``alpha (exp(x / alpha) - 1)``."""


class Softshrink(FunctionLayer, function=F2.softshrink, options=("lambd",)):
    """``Softshrink(lambd=0.5)``: ``x`` moved ``lambd`` towards 0, and 0 within ``lambd``."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__(lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Hardshrink(Softshrink, function=F2.hardshrink):
    """``Hardshrink(lambd=0.5)``: ``x`` where ``|x| > lambd``, else 0."""
