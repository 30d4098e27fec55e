"""Padding helpers of ``torch.nn.utils.rnn``: `pad_sequence` stacks variable-length sequences
into one padded tensor, `unpad_sequence` takes them back out.

    >>> import eager
    >>> pad_sequence([eager.ones(2), eager.ones(3) * 2], batch_first=True)
    tensor([[1., 1., 0.],
            [2., 2., 2.]])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Any:
    """Sequences of shape (L_i, *) padded to the longest ``L`` with ``padding_value`` (after
    them, or before with ``padding_side="left"``) and stacked: (L, B, *), or (B, L, *) with
    ``batch_first``. A tensor counts as the sequence of its first dim's slices."""
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    longest = max(int(s.shape[0]) for s in sequences)
    trailing = tuple(sequences[0].shape[1:])
    padded = []
    for s in sequences:
        if tuple(s.shape[1:]) != trailing:
            raise RuntimeError(f"pad_sequence: every sequence must have the trailing shape "
                               f"{list(trailing)} of the first, got {list(s.shape)}")
        extra = longest - int(s.shape[0])
        before, after = (extra, 0) if padding_side == "left" else (0, extra)
        widths = ((before, after),) + ((0, 0),) * len(trailing)
        padded.append(ops.pad(s, pad_width=widths, value=float(padding_value)) if extra else s)
    return ops.stack(padded, axis=0 if batch_first else 1)


def unpad_sequence(padded_sequences: Any, lengths: Any, batch_first: bool = False) -> list:
    """The sequences `pad_sequence` stacked (right padding), each cut to its length."""
    if not batch_first:
        order = (1, 0) + tuple(range(2, padded_sequences.ndim))
        padded_sequences = ops.transpose(padded_sequences, axes=order)
    batch = padded_sequences
    return [batch[i, :int(length)] for i, length in enumerate(lengths)]




__all__ = ["pad_sequence", "unpad_sequence"]
