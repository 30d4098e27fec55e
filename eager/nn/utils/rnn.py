"""``torch.nn.utils.rnn``: padded sequences (`padded_sequence`) and packed ones
(`packed_sequence`), under PyTorch's module path.

    >>> import eager
    >>> pad_sequence([eager.ones(2), eager.ones(3) * 2], batch_first=True)
    tensor([[1., 1., 0.],
            [2., 2., 2.]])

Packed, the longest sequence first: how many sequences are still running at each step.

    >>> pack_sequence([eager.ones(3), eager.ones(2)]).batch_sizes
    tensor([2, 2, 1])
"""

from .packed_sequence import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    unpack_sequence,
)
from .padded_sequence import pad_sequence, unpad_sequence

__all__ = ["pad_sequence", "unpad_sequence", "PackedSequence", "pack_padded_sequence",
           "pad_packed_sequence", "pack_sequence", "unpack_sequence"]
