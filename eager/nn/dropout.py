"""`Dropout`: random zeroing in training mode, identity in eval mode."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class Dropout(Module):
    """Zero each element with probability ``p`` while ``training``; scale survivors by
    ``1 / (1 - p)``. Every call draws a fresh seed from eager's global generator (see
    `eager.nn.functional.dropout`), so ``eager.manual_seed`` fixes the masks. Traced into a
    static graph in training mode, every step of the graph draws a new mask from the graph's
    own generator (``static.manual_seed`` fixes those); in eval mode it traces to nothing.

        >>> Dropout(0.2)
        Dropout(p=0.2, inplace=False)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Any) -> Any:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
