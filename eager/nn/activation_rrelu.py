"""`RReLU`: the randomized leaky ReLU (a slope drawn per element from ``[lower, upper]``
while training, their mean in eval), printed as PyTorch prints it.

    >>> RReLU()
    RReLU(lower=0.125, upper=0.3333333333333333)
"""

from __future__ import annotations

from typing import Any

from .functional_alpha_dropout import rrelu
from .module import Module


class RReLU(Module):
    """``RReLU(lower=1/8, upper=1/3, inplace=False)``; the draws follow PyTorch's generator
    stream (see `eager.nn.functional.rrelu`)."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
                 inplace: bool = False) -> None:
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input: Any) -> Any:
        return rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace
                                                            else "")


__all__ = ["RReLU"]
