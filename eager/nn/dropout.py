"""`Dropout` (random zeroing in training mode, identity in eval mode) and the channel-wise
`Dropout1d`, `Dropout2d`, `Dropout3d` (whole feature maps zeroed at once), and SELU's
`AlphaDropout` and `FeatureAlphaDropout`."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zero each element with probability ``p`` while ``training``; scale survivors by
    ``1 / (1 - p)``. Every call draws a fresh seed from eager's global generator (see
    `eager.nn.functional.dropout`), so ``eager.manual_seed`` fixes the masks. Traced into a
    static graph in training mode, every step of the graph draws a new mask from the graph's
    own generator (``static.manual_seed`` fixes those); in eval mode it traces to nothing.

        >>> Dropout(0.2)
        Dropout(p=0.2, inplace=False)
    """

    def forward(self, input: Any) -> Any:
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L) inputs while ``training``."""

    def forward(self, input: Any) -> Any:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) inputs while ``training``."""

    def forward(self, input: Any) -> Any:
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs while ``training``."""

    def forward(self, input: Any) -> Any:
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Alpha dropout for SELU networks while ``training``: dropped elements go to SELU's
    negative saturation, and an affine map keeps zero mean and unit variance. (PyTorch's
    ``forward`` does not pass ``inplace`` on; neither does this one.)

        >>> AlphaDropout(0.2)
        AlphaDropout(p=0.2, inplace=False)
    """

    def forward(self, input: Any) -> Any:
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels (one draw per (N, C)) while ``training``."""

    def forward(self, input: Any) -> Any:
        return F.feature_alpha_dropout(input, self.p, self.training)
