"""``torch.nn.utils.rnn``'s packed sequences: a batch of variable-length sequences stored
without padding, time step by time step, the longest sequences first.

``PackedSequence.data`` holds, for each time step t, the rows of the sequences still running at
t (``batch_sizes[t]`` of them), in decreasing order of length (``sorted_indices`` maps that
order to the batch's, None when the batch was already sorted). Packing and unpacking are
gathers and scatters with ops, so gradients flow through both. Recurrent layers take a packed
batch (as padded data with its lengths, eager's own ``lengths=``) and return a packed output.

    >>> import eager
    >>> packed = pack_padded_sequence(eager.arange(6.0).view(3, 2, 1), [3, 1])
    >>> packed.data.view(-1), packed.batch_sizes
    (tensor([0., 1., 2., 4.]), tensor([2, 1, 1]))
    >>> pad_packed_sequence(packed)[1]
    tensor([3, 1])
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

import shared_ops as ops

from ... import creation
from .padded_sequence import pad_sequence, unpad_sequence


class PackedSequence(NamedTuple):
    """A packed batch, as ``torch.nn.utils.rnn.PackedSequence``: build it with
    `pack_padded_sequence` or `pack_sequence`, not by hand."""

    data: Any
    batch_sizes: Any
    sorted_indices: Any = None
    unsorted_indices: Any = None

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same packing with ``data.to(...)`` (a dtype or a CPU device)."""
        return self._replace(data=self.data.to(*args, **kwargs))

    def cpu(self) -> PackedSequence:
        return self

    @property
    def is_cuda(self) -> bool:
        return False


def _positions(batch_sizes: np.ndarray, sorted_indices: np.ndarray | None) -> tuple:
    """(time, batch) of every packed row, batch positions in the batch's own order."""
    steps = np.repeat(np.arange(len(batch_sizes)), batch_sizes)
    ranks = np.concatenate([np.arange(n) for n in batch_sizes]) if len(batch_sizes) else steps
    columns = ranks if sorted_indices is None else sorted_indices[ranks]
    return steps.astype(np.int64), columns.astype(np.int64)


def _as_int_array(values: Any) -> np.ndarray:
    return np.asarray(values.numpy() if hasattr(values, "numpy") else values, dtype=np.int64)


def _time_major(x: Any, batch_first: bool) -> Any:
    return ops.transpose(x, axes=(1, 0) + tuple(range(2, x.ndim))) if batch_first else x


def pack_padded_sequence(input: Any, lengths: Any, batch_first: bool = False,  # noqa: A002
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *) with ``batch_first``) whose sequence b has
    ``lengths[b]`` real steps. ``enforce_sorted``: the lengths must already decrease (else
    they are sorted here and ``sorted_indices`` records how)."""
    lengths = _as_int_array(lengths)
    x = _time_major(input, batch_first)
    if lengths.ndim != 1 or len(lengths) != x.shape[1]:
        raise ValueError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                         f"{lengths.size} (batch_size={x.shape[1]})")
    if len(lengths) and lengths.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if len(lengths) and lengths.max() > x.shape[0]:
        raise RuntimeError(f"Expected sequence length to be at most {x.shape[0]} (the padded "
                           f"time dim), but got {int(lengths.max())}")
    if enforce_sorted:
        if np.any(np.diff(lengths) > 0):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                               "`enforce_sorted` is True. You can pass `enforce_sorted=False` "
                               "to pack_padded_sequence and/or pack_sequence to sidestep this "
                               "requirement if you do not need ONNX exportability.")
        sorted_indices = None
    else:
        sorted_indices = np.argsort(-lengths, kind="stable")
    longest = int(lengths.max()) if len(lengths) else 0
    batch_sizes = (lengths[None, :] > np.arange(longest)[:, None]).sum(axis=1)
    steps, columns = _positions(batch_sizes, sorted_indices)
    data = ops.getitem(x, (steps, columns))
    if sorted_indices is None:
        return PackedSequence(data, creation.tensor(batch_sizes))
    return PackedSequence(data, creation.tensor(batch_sizes), creation.tensor(sorted_indices),
                          creation.tensor(np.argsort(sorted_indices)))


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0, total_length: int | None = None) -> tuple:
    """The padded batch (T, B, *) (or (B, T, *)) of a packed one, in the batch's own order,
    and each sequence's length (an int64 tensor)."""
    batch_sizes = _as_int_array(sequence.batch_sizes)
    sorted_indices = (None if sequence.sorted_indices is None
                      else _as_int_array(sequence.sorted_indices))
    longest = len(batch_sizes)
    if total_length is not None:
        if total_length < longest:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {longest}")
        longest = total_length
    batch = int(batch_sizes[0]) if len(batch_sizes) else 0
    sorted_lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(axis=1)
    lengths = sorted_lengths.copy()
    if sorted_indices is not None:
        lengths[sorted_indices] = sorted_lengths
    data = sequence.data
    steps, columns = _positions(batch_sizes, sorted_indices)
    padded = creation.full((longest, batch) + tuple(data.shape[1:]), padding_value,
                           dtype=data.dtype)
    padded = ops.index_put(padded, (steps, columns), data)
    return _time_major(padded, batch_first), creation.tensor(lengths)


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) directly."""
    lengths = [int(s.shape[0]) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def repack_like(padded: Any, like: PackedSequence, batch_first: bool = False) -> PackedSequence:
    """A padded output (a recurrent layer's, in the batch's order) packed as ``like`` is."""
    sorted_indices = (None if like.sorted_indices is None
                      else _as_int_array(like.sorted_indices))
    steps, columns = _positions(_as_int_array(like.batch_sizes), sorted_indices)
    return like._replace(data=ops.getitem(_time_major(padded, batch_first), (steps, columns)))


__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pack_sequence",
           "repack_like"]


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The sequences of ``packed_sequences`` as a list of Tensors, in their original order
    (the inverse of `pack_sequence`)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
