"""`channel_shuffle` and `ChannelShuffle` (ShuffleNet's channel mixing between grouped
convolutions): the C channels of (N, C, *) seen as a (groups, C / groups) grid and read out
transposed.

    >>> import eager
    >>> channel_shuffle(eager.arange(6.0).reshape(1, 6, 1), 2).flatten()
    tensor([0., 3., 1., 4., 2., 5.])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from .backward_names import name_backward
from .function_layer import FunctionLayer


def channel_shuffle(input: Any, groups: int) -> Any:
    """(N, C, *) with channel ``g * (C / groups) + i`` moved to ``i * groups + g``."""
    shape = tuple(input.shape)
    if len(shape) <= 2:
        raise RuntimeError("channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(shape)}")
    c = shape[1]
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    rest = shape[2:]
    grid = ops.reshape(input, shape=(shape[0], groups, c // groups) + rest)
    swapped = ops.transpose(grid, axes=(0, 2, 1) + tuple(range(3, 3 + len(rest))))
    return name_backward(ops.reshape(swapped, shape=shape), "ChannelShuffleBackward0")


class ChannelShuffle(FunctionLayer, function=channel_shuffle, options=("groups",)):
    """``ChannelShuffle(groups)``.

        >>> ChannelShuffle(2)
        ChannelShuffle(groups=2)
    """

    def __init__(self, groups: int) -> None:
        super().__init__(groups)


__all__ = ["channel_shuffle", "ChannelShuffle"]
