"""Packed sequences (nn.utils.rnn) and recurrent layers fed with them, against torch."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as enn
from eager.nn.utils.rnn import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
)

torch = pytest.importorskip("torch")
trnn = torch.nn.utils.rnn

RNG = np.random.default_rng(7)
PADDED = RNG.standard_normal((5, 4, 3)).astype(np.float32)  # (T, B, features)


@pytest.mark.parametrize("lengths,enforce_sorted", [([5, 3, 3, 1], True),
                                                    ([2, 5, 3, 3], False)])
@pytest.mark.parametrize("batch_first", [False, True])
def test_packing_and_unpacking_equal_torchs(lengths, enforce_sorted, batch_first):
    x = PADDED.transpose(1, 0, 2) if batch_first else PADDED
    ours = pack_padded_sequence(eager.tensor(x), lengths, batch_first=batch_first,
                                enforce_sorted=enforce_sorted)
    theirs = trnn.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths),
                                       batch_first=batch_first, enforce_sorted=enforce_sorted)
    np.testing.assert_array_equal(ours.data.numpy(), theirs.data.numpy())
    for a, b in zip(ours[1:], theirs[1:], strict=True):
        assert (a is None and b is None) or a.tolist() == b.tolist()
    padded, got_lengths = pad_packed_sequence(ours, batch_first=batch_first, total_length=6,
                                              padding_value=-1.0)
    want, want_lengths = trnn.pad_packed_sequence(theirs, batch_first=batch_first,
                                                  total_length=6, padding_value=-1.0)
    np.testing.assert_array_equal(padded.numpy(), want.numpy())
    assert got_lengths.tolist() == want_lengths.tolist() and got_lengths.dtype == eager.int64


def test_pack_sequence_and_gradients_through_packing():
    parts = [RNG.standard_normal((n, 2)).astype(np.float32) for n in (3, 1, 2)]
    ours = [eager.tensor(p, requires_grad=True) for p in parts]
    theirs = [torch.tensor(p, requires_grad=True) for p in parts]
    a = pack_sequence(ours, enforce_sorted=False)
    b = trnn.pack_sequence(theirs, enforce_sorted=False)
    np.testing.assert_array_equal(a.data.detach().numpy(), b.data.detach().numpy())
    weights = RNG.standard_normal((3, 3, 2)).astype(np.float32)
    (pad_packed_sequence(a)[0] * eager.tensor(weights)).sum().backward()
    (trnn.pad_packed_sequence(b)[0] * torch.tensor(weights)).sum().backward()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy())


@pytest.mark.parametrize("lengths,message", [
    ([5, 3, 4, 1], "must be sorted in decreasing order"),
    ([5, 3, 0, 0], "greater than 0"),
])
def test_packing_errors_are_torchs(lengths, message):
    for pack, lib in ((pack_padded_sequence, eager), (trnn.pack_padded_sequence, torch)):
        with pytest.raises(RuntimeError, match=message):
            pack(lib.tensor(PADDED), lengths)


def test_total_length_shorter_than_the_longest_is_refused():
    packed = pack_padded_sequence(eager.tensor(PADDED), [5, 3, 3, 1])
    with pytest.raises(ValueError, match="total_length=4 and max sequence length being 5"):
        pad_packed_sequence(packed, total_length=4)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_recurrent_layers_take_packed_batches(kind, batch_first):
    eager.manual_seed(3)
    ours = getattr(enn, kind)(3, 4, num_layers=2, bidirectional=True, batch_first=batch_first)
    theirs = getattr(torch.nn, kind)(3, 4, num_layers=2, bidirectional=True,
                                     batch_first=batch_first)
    with torch.no_grad():
        for (_, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                  strict=True):
            q.copy_(torch.tensor(p.detach().numpy()))
    lengths = [2, 5, 3, 3]
    x = PADDED.transpose(1, 0, 2) if batch_first else PADDED
    xe = eager.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    out, state = ours(pack_padded_sequence(xe, lengths, batch_first=batch_first,
                                           enforce_sorted=False))
    want, want_state = theirs(trnn.pack_padded_sequence(xt, torch.tensor(lengths),
                                                        batch_first=batch_first,
                                                        enforce_sorted=False))
    assert isinstance(out, PackedSequence)
    np.testing.assert_allclose(out.data.detach().numpy(), want.data.detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    h, wh = (state[0], want_state[0]) if kind == "LSTM" else (state, want_state)
    np.testing.assert_allclose(h.detach().numpy(), wh.detach().numpy(), rtol=1e-5, atol=1e-6)
    (out.data.sum() + h.sum()).backward()
    (want.data.sum() + wh.sum()).backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)
